using System.Text;
using System.Text.Json;

namespace MiniCC.Storage;

/// <summary>
/// A durable local queue of events the database could not take: one JSON line per event, appended and
/// flushed to disk before the webhook is answered, replayed into the database in order when it is back.
/// Each instance has its own (<c>MiniCC:SpoolDirectory</c>).
/// </summary>
public sealed class Spool : IDisposable
{
    public const string DirectoryKey = "MiniCC:SpoolDirectory";
    private const string FileName = "events.jsonl";
    private const string BadFileName = "events.unreadable.jsonl";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _path;
    private readonly string _badPath;
    private int _backlog;

    public Spool(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Directory = Path.GetFullPath(configuration[DirectoryKey] is { Length: > 0 } d ? d : "spool");
        _path = Path.Combine(Directory, FileName);
        _badPath = Path.Combine(Directory, BadFileName);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            _backlog = File.Exists(_path) ? File.ReadLines(_path).Count(l => l.Length > 0) : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{DirectoryKey}: cannot use the spool directory {Directory}: {ex.Message}", ex);
        }
    }

    public string Directory { get; }

    /// <summary>Events waiting to be replayed.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Set when an event was spooled, so the replayer can start at once.</summary>
    public event Action? Appended;

    /// <summary>Appends <paramref name="e"/> and flushes it to the disk before returning.</summary>
    public async Task AppendAsync(HistoryEvent e)
    {
        var line = JsonSerializer.Serialize(e) + "\n";
        await _lock.WaitAsync();
        try
        {
            await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
            await file.WriteAsync(Encoding.UTF8.GetBytes(line));
            file.Flush(flushToDisk: true);
            _backlog++;
        }
        finally
        {
            _lock.Release();
        }

        Appended?.Invoke();
    }

    /// <summary>
    /// Offers the spooled events, oldest first, to <paramref name="apply"/> until it fails; removes those it took.
    /// A line that cannot be read is moved aside (never silently dropped). Returns how many were applied.
    /// </summary>
    public async Task<int> ReplayAsync(Func<HistoryEvent, Task> apply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(apply);
        string[] snapshot;
        await _lock.WaitAsync(ct);
        try
        {
            snapshot = File.Exists(_path) ? await File.ReadAllLinesAsync(_path, ct) : [];
        }
        finally
        {
            _lock.Release();
        }

        var done = 0;
        var unreadable = new List<string>();
        foreach (var line in snapshot)
        {
            if (line.Length > 0)
            {
                HistoryEvent? e = null;
                try
                {
                    e = JsonSerializer.Deserialize<HistoryEvent>(line);
                }
                catch (JsonException)
                {
                }

                if (e is null)
                {
                    unreadable.Add(line);
                }
                else
                {
                    try
                    {
                        await apply(e);
                    }
                    catch (InvalidDataException)
                    {
                        unreadable.Add(line);
                    }
                    catch (Exception) when (!ct.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }

            done++;
        }

        if (done == 0)
        {
            return 0;
        }

        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            if (unreadable.Count > 0)
            {
                await File.AppendAllLinesAsync(_badPath, unreadable, CancellationToken.None);
            }

            // Keep what was not applied and whatever was appended since the snapshot; replace atomically.
            var now = await File.ReadAllLinesAsync(_path, CancellationToken.None);
            var rest = now.Skip(done).Where(l => l.Length > 0).ToList();
            var temp = _path + ".tmp";
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var l in rest)
                {
                    await file.WriteAsync(Encoding.UTF8.GetBytes(l + "\n"), CancellationToken.None);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, _path, overwrite: true);
            _backlog = rest.Count;
        }
        finally
        {
            _lock.Release();
        }

        return done - unreadable.Count;
    }

    public void Dispose() => _lock.Dispose();
}
