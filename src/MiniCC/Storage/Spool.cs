using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MiniCC.Storage;

/// <summary>
/// A durable local queue of events the database could not take, in segment files of JSON lines
/// (<c>events-&lt;n&gt;.jsonl</c>): each event is appended and flushed to disk before its webhook is
/// answered, and replayed into the database in order per call when it is back. A segment is deleted once
/// every line in it is stored or set aside, so replay never needs free space on the spool's disk. A line
/// that can never be stored is moved to <c>rejected.jsonl</c> with the reason, and the lines behind it go on.
/// Each instance has its own (<c>MiniCC:SpoolDirectory</c>).
/// </summary>
public sealed partial class Spool : IDisposable
{
    private const string SegmentPrefix = "events-";
    private const string SegmentSuffix = ".jsonl";
    private const string LegacyFileName = "events.jsonl";
    public const string RejectedFileName = "rejected.jsonl";

    /// <summary>A segment is closed and a new one started past this size, so applied events free their space soon.</summary>
    private const long SegmentBytes = 256 * 1024;

    /// <summary>A line that failed this often, while the database stored other events, is set aside.</summary>
    public const int FailuresBeforeRejecting = 5;

    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly SemaphoreSlim _replay = new(1, 1);
    private readonly Lock _meta = new();
    private readonly List<Segment> _segments = [];
    private readonly List<PendingAppend> _waiting = [];
    private readonly Dictionary<string, int> _pendingByCall = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pendingSignIns = new(StringComparer.Ordinal);
    private readonly string _rejectedPath;
    private readonly ILogger<Spool> _log;
    private FileStream? _open;
    private Segment? _openSegment;
    private long _nextSeq;
    private int _backlog;
    private int _rejected;
    private long _databaseWrites;
    private string? _writeProblem;

    public Spool(IOptions<StorageOptions> options, ILogger<Spool> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        Directory = Path.GetFullPath(options.Value.SpoolDirectory);
        _rejectedPath = Path.Combine(Directory, RejectedFileName);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            Load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"MiniCC:SpoolDirectory: cannot use the spool directory {Directory}: {ex.Message}", ex);
        }
    }

    public string Directory { get; }

    /// <summary>Events waiting to be replayed.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Lines set aside in <see cref="RejectedFileName"/> because they can never be stored (including earlier runs').</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Why the last append failed, until one succeeds again (e.g. the disk is full).</summary>
    public string? WriteProblem => Volatile.Read(ref _writeProblem);

    /// <summary>Raised when an event was spooled, so the replayer can start at once.</summary>
    public event Action? Appended;

    /// <summary>Whether events of this call wait here (its next events must queue behind them to keep its order).</summary>
    public bool HasPending(string callSid)
    {
        lock (_meta)
        {
            return _pendingByCall.ContainsKey(callSid);
        }
    }

    /// <summary>Whether this call's operator sign-in waits here (so the operator loop can trust it before it is stored).</summary>
    public bool HasPendingSignIn(string callSid)
    {
        lock (_meta)
        {
            return _pendingSignIns.ContainsKey(callSid);
        }
    }

    /// <summary>Tells the spool that the database stored an event, so a line that keeps failing is known to be the problem.</summary>
    public void NoteDatabaseWrite() => Interlocked.Increment(ref _databaseWrites);

    /// <summary>
    /// Appends <paramref name="e"/> and flushes it to the disk before returning; throws when it could not.
    /// Appends that arrive together share one write and one flush (whoever gets the file writes everyone's
    /// waiting lines), so a burst of webhooks does not queue behind one fsync each.
    /// </summary>
    public async Task AppendAsync(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var mine = new PendingAppend(e, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(e, HistoryEvent.Json) + "\n"));
        lock (_waiting)
        {
            _waiting.Add(mine);
        }

        await _write.WaitAsync();
        try
        {
            if (!mine.Written)
            {
                List<PendingAppend> batch;
                lock (_waiting)
                {
                    batch = [.. _waiting];
                    _waiting.Clear();
                }

                WriteBatch(batch);
            }
        }
        finally
        {
            _write.Release();
        }

        if (mine.Error is { } error)
        {
            throw new IOException("The spool could not be written: " + error.Message, error);
        }

        Appended?.Invoke();
    }

    /// <summary>Writes and flushes a batch of lines (caller holds <see cref="_write"/>); each line learns its outcome.</summary>
    private void WriteBatch(List<PendingAppend> batch)
    {
        try
        {
            if (_open is null || _open.Length >= SegmentBytes)
            {
                SealOpenSegment();
                var seq = _nextSeq++;
                var path = Path.Combine(Directory, SegmentPrefix + seq.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix);
                _open = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
                _openSegment = new Segment(path);
                lock (_meta)
                {
                    _segments.Add(_openSegment);
                }
            }

            var before = _open.Length;
            try
            {
                var bytes = new byte[batch.Sum(p => p.Bytes.Length)];
                var at = 0;
                foreach (var p in batch)
                {
                    p.Bytes.CopyTo(bytes, at);
                    at += p.Bytes.Length;
                }

                _open.Write(bytes);
                _open.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Leave no half line behind; if that cannot be done either, later appends start a new segment.
                try
                {
                    _open.SetLength(before);
                }
                catch (IOException)
                {
                    SealOpenSegment();
                }

                throw;
            }

            lock (_meta)
            {
                foreach (var p in batch)
                {
                    _openSegment!.Lines.Add(Pending(p.Event));
                }
            }

            _writeProblem = null;
            foreach (var p in batch)
            {
                p.Written = true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writeProblem = ex.Message;
            foreach (var p in batch)
            {
                p.Written = true;
                p.Error = ex;
            }
        }
    }

    public void Dispose()
    {
        _write.Wait();
        try
        {
            SealOpenSegment();
        }
        finally
        {
            _write.Release();
        }

        _write.Dispose();
        _replay.Dispose();
    }
}
