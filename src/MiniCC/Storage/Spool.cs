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
        var mine = new PendingAppend(e, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(e) + "\n"));
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
                _openSegment = new Segment(seq, path);
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

    /// <summary>
    /// Offers the spooled events, oldest first, to <paramref name="apply"/>. The events of a call are kept in order:
    /// when one fails, the call's later events wait for the next pass while other calls go on. A line that cannot be
    /// read, fails <see cref="HistoryEvent.Problem"/>, fails with an error <paramref name="isPermanent"/> calls
    /// permanent, or fails <see cref="FailuresBeforeRejecting"/> times while the database stores other events is set
    /// aside. The pass stops when two calls in a row fail (the database is away).
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(Func<HistoryEvent, Task> apply, Func<Exception, bool> isPermanent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(isPermanent);
        await _replay.WaitAsync(ct);
        try
        {
            // New appends go to a new segment, so the files read here are no longer written.
            await _write.WaitAsync(ct);
            try
            {
                SealOpenSegment();
            }
            finally
            {
                _write.Release();
            }

            List<Segment> segments;
            lock (_meta)
            {
                segments = [.. _segments.Where(s => s.Sealed)];
            }

            var result = new ReplayResult();
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            var failuresInARow = 0;
            foreach (var segment in segments)
            {
                var stop = await ReplaySegmentAsync(segment, apply, isPermanent, blocked, result, () => ++failuresInARow >= 2,
                    () => failuresInARow = 0, ct);
                DeleteIfDone(segment);
                if (stop)
                {
                    break;
                }
            }

            return result;
        }
        finally
        {
            _replay.Release();
        }
    }

    private async Task<bool> ReplaySegmentAsync(Segment segment, Func<HistoryEvent, Task> apply, Func<Exception, bool> isPermanent,
        HashSet<string> blocked, ReplayResult result, Func<bool> failedShouldStop, Action succeeded, CancellationToken ct)
    {
        using var reader = new StreamReader(new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var index = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            if (text.Length == 0)
            {
                continue;
            }

            Line line;
            lock (_meta)
            {
                if (index >= segment.Lines.Count)
                {
                    // Bytes past the last acknowledged line (a write the disk refused half way): never answered, not an event.
                    segment.Lines.Add(new Line(null, false) { Done = true });
                    index++;
                    continue;
                }

                line = segment.Lines[index++];
            }

            if (line.Done || (line.CallSid is not null && blocked.Contains(line.CallSid)))
            {
                continue;
            }

            var e = Read(text, out var problem);
            if (problem is not null)
            {
                if (!await RejectAsync(line, text, problem))
                {
                    return true;
                }

                result.Rejected++;
                continue;
            }

            try
            {
                await apply(e!);
                MarkDone(line);
                Interlocked.Increment(ref _databaseWrites);
                result.Applied++;
                succeeded();
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var writes = Interlocked.Read(ref _databaseWrites);
                line.Failures++;
                line.WritesAtFirstFailure ??= writes;
                var reason = isPermanent(ex)
                    ? "the database refused it: " + ex.Message
                    : line.Failures >= FailuresBeforeRejecting && writes > line.WritesAtFirstFailure
                        ? $"it failed {line.Failures} times while the database stored other events; last: {ex.Message}"
                        : null;
                if (reason is not null)
                {
                    if (!await RejectAsync(line, text, reason))
                    {
                        return true;
                    }

                    result.Rejected++;
                    continue;
                }

                result.LastError = ex;
                blocked.Add(line.CallSid ?? "");
                if (failedShouldStop())
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static HistoryEvent? Read(string text, out string? problem)
    {
        HistoryEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<HistoryEvent>(text);
        }
        catch (JsonException ex)
        {
            problem = "the line is not a readable event: " + ex.Message;
            return null;
        }

        problem = e is null ? "the line is not a readable event" : e.Problem();
        return e;
    }

    /// <summary>Moves a line to the rejected file with its reason (flushed to disk first); false when that file cannot be written.</summary>
    private async Task<bool> RejectAsync(Line line, string text, string reason)
    {
        var entry = JsonSerializer.Serialize(new { rejectedAt = DateTimeOffset.UtcNow, reason, line = text }) + "\n";
        try
        {
            await using (var file = new FileStream(_rejectedPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                await file.WriteAsync(Encoding.UTF8.GetBytes(entry));
                file.Flush(flushToDisk: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CannotSetAside(_log, ex, line.CallSid);
            return false;
        }

        MarkDone(line);
        Interlocked.Increment(ref _rejected);
        SetAside(_log, line.CallSid, reason, _rejectedPath);
        return true;
    }

    private void MarkDone(Line line)
    {
        lock (_meta)
        {
            if (line.Done)
            {
                return;
            }

            line.Done = true;
            _backlog--;
            if (line.CallSid is { } sid)
            {
                Decrement(_pendingByCall, sid);
                if (line.SignIn)
                {
                    Decrement(_pendingSignIns, sid);
                }
            }
        }
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts.TryGetValue(key, out var n))
        {
            if (n <= 1)
            {
                counts.Remove(key);
            }
            else
            {
                counts[key] = n - 1;
            }
        }
    }

    /// <summary>Registers a pending line (caller holds <see cref="_meta"/> or is the constructor).</summary>
    private Line Pending(HistoryEvent? e)
    {
        var line = new Line(e?.CallSid, e?.Kind == HistoryStore.Kinds.SignIn);
        _backlog++;
        if (line.CallSid is { } sid)
        {
            _pendingByCall[sid] = _pendingByCall.GetValueOrDefault(sid) + 1;
            if (line.SignIn)
            {
                _pendingSignIns[sid] = _pendingSignIns.GetValueOrDefault(sid) + 1;
            }
        }

        return line;
    }

    private void DeleteIfDone(Segment segment)
    {
        lock (_meta)
        {
            if (!segment.Sealed || segment.Lines.Any(l => !l.Done))
            {
                return;
            }
        }

        try
        {
            File.Delete(segment.Path);
            lock (_meta)
            {
                _segments.Remove(segment);
            }
        }
        catch (IOException)
        {
            // Tried again after the next pass; every line in it is done, so replaying it again is harmless.
        }
    }

    /// <summary>Closes the segment being appended to (caller holds <see cref="_write"/>).</summary>
    private void SealOpenSegment()
    {
        if (_open is null)
        {
            return;
        }

        _open.Dispose();
        _open = null;
        var empty = false;
        lock (_meta)
        {
            _openSegment!.Sealed = true;
            if (_openSegment.Lines.Count == 0)
            {
                empty = _segments.Remove(_openSegment);
            }
        }

        if (empty)
        {
            try
            {
                File.Delete(_openSegment.Path);
            }
            catch (IOException)
            {
                // An empty file left behind holds no event; the next start reads it as such.
            }
        }

        _openSegment = null;
    }

    /// <summary>Reads the segments a previous run left (and the single file of older versions), oldest first.</summary>
    private void Load()
    {
        var files = new List<(long Seq, string Path)>();
        var legacy = Path.Combine(Directory, LegacyFileName);
        if (File.Exists(legacy))
        {
            files.Add((-1, legacy));
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, SegmentPrefix + "*" + SegmentSuffix))
        {
            var name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentSuffix.Length),
                    NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                files.Add((seq, path));
            }
        }

        foreach (var (seq, path) in files.OrderBy(f => f.Seq))
        {
            var segment = new Segment(seq, path) { Sealed = true };
            foreach (var text in File.ReadLines(path))
            {
                if (text.Length > 0)
                {
                    segment.Lines.Add(Pending(Read(text, out _)));
                }
            }

            _segments.Add(segment);
            _nextSeq = Math.Max(_nextSeq, seq + 1);
        }

        if (File.Exists(_rejectedPath))
        {
            _rejected = File.ReadLines(_rejectedPath).Count(l => l.Length > 0);
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

    private sealed class Segment(long seq, string path)
    {
        public long Seq { get; } = seq;
        public string Path { get; } = path;
        public List<Line> Lines { get; } = [];
        public bool Sealed { get; set; }
    }

    private sealed class PendingAppend(HistoryEvent e, byte[] bytes)
    {
        public HistoryEvent Event { get; } = e;
        public byte[] Bytes { get; } = bytes;
        public bool Written { get; set; }
        public Exception? Error { get; set; }
    }

    private sealed class Line(string? callSid, bool signIn)
    {
        public string? CallSid { get; } = callSid;
        public bool SignIn { get; } = signIn;
        public bool Done { get; set; }
        public int Failures { get; set; }
        public long? WritesAtFirstFailure { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A spooled event of call {CallSid} can never be stored ({Reason}); it was moved to {Path} and replay goes on")]
    private static partial void SetAside(ILogger logger, string? callSid, string reason, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not move a spooled event of call {CallSid} aside; it stays in the spool and is tried again")]
    private static partial void CannotSetAside(ILogger logger, Exception ex, string? callSid);
}

/// <summary>What one replay pass did.</summary>
public sealed class ReplayResult
{
    public int Applied { get; set; }
    public int Rejected { get; set; }

    /// <summary>The error that stopped a call's events (the database's, usually), when one did.</summary>
    public Exception? LastError { get; set; }
}
