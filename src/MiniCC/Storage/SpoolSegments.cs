using System.Globalization;
using System.Text.Json;

namespace MiniCC.Storage;

/// <summary>The spool's segments and lines: what is pending, per call, and what a previous run left.</summary>
public sealed partial class Spool
{
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
        var line = new Line(e?.CallSid, e is SignIn);
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
            var segment = new Segment(path) { Sealed = true };
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

    private sealed class Segment(string path)
    {
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
}
