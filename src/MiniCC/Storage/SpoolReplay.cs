using System.Text;
using System.Text.Json;

namespace MiniCC.Storage;

/// <summary>Replaying the spool: in order per call, setting aside what can never be stored, deleting what is done.</summary>
public sealed partial class Spool
{
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

            var pass = new Pass();
            foreach (var segment in segments)
            {
                var stop = await ReplaySegmentAsync(segment, apply, isPermanent, pass, ct);
                DeleteIfDone(segment);
                if (stop)
                {
                    break;
                }
            }

            return pass.Result;
        }
        finally
        {
            _replay.Release();
        }
    }

    /// <summary>One pass over the spool: what it did, the calls whose events wait for the next one, and the failures in a row.</summary>
    private sealed class Pass
    {
        public ReplayResult Result { get; } = new();
        public HashSet<string> Blocked { get; } = new(StringComparer.Ordinal);
        public int FailuresInARow { get; set; }
    }

    /// <summary>Replays one segment's pending lines; true when the pass should stop (the database is away, or a line cannot be set aside).</summary>
    private async Task<bool> ReplaySegmentAsync(Segment segment, Func<HistoryEvent, Task> apply, Func<Exception, bool> isPermanent,
        Pass pass, CancellationToken ct)
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

            if (line.Done || (line.CallSid is not null && pass.Blocked.Contains(line.CallSid)))
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

                pass.Result.Rejected++;
                continue;
            }

            try
            {
                await apply(e!);
                MarkDone(line);
                Interlocked.Increment(ref _databaseWrites);
                pass.Result.Applied++;
                pass.FailuresInARow = 0;
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

                    pass.Result.Rejected++;
                    continue;
                }

                pass.Result.LastError = ex;
                pass.Blocked.Add(line.CallSid ?? "");
                if (++pass.FailuresInARow >= 2)
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
            e = JsonSerializer.Deserialize<HistoryEvent>(text, HistoryEvent.Json);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
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
