using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Voice;

/// <summary>How an estimated wait is said: a range below a minute, a number of minutes, or more than the cap.</summary>
public enum WaitWording
{
    LessThanAMinute,
    AboutAMinute,
    AboutMinutes,
    MoreThanMinutes,
}

/// <summary>An estimated wait rounded as a person says it: "about 3 minutes", "about 15 minutes", "more than 30 minutes".</summary>
public readonly record struct SpokenWait(WaitWording Wording, int Minutes)
{
    /// <summary>
    /// Rounds an estimate: below a minute is "less than a minute"; up to ten minutes, to the nearest minute; above, to
    /// the nearest five (nobody says "about 13 minutes", and an estimate that far out is not that exact); a rounded
    /// estimate above <paramref name="maxMinutes"/> is "more than <paramref name="maxMinutes"/> minutes".
    /// </summary>
    public static SpokenWait Of(TimeSpan wait, int maxMinutes)
    {
        var seconds = wait.TotalSeconds;
        if (seconds < 60)
        {
            return new(WaitWording.LessThanAMinute, 0);
        }

        var minutes = (int)Math.Min(int.MaxValue / 2, Math.Round(seconds / 60, MidpointRounding.AwayFromZero));
        if (minutes > 10)
        {
            minutes = (int)Math.Min(int.MaxValue / 2, Math.Round(seconds / 300, MidpointRounding.AwayFromZero) * 5);
        }

        return minutes > maxMinutes ? new(WaitWording.MoreThanMinutes, maxMinutes)
            : minutes == 1 ? new(WaitWording.AboutAMinute, 1)
            : new(WaitWording.AboutMinutes, minutes);
    }

    /// <summary>The sentence of the prompt set for this wait.</summary>
    public string Say(PromptSet prompts) => Wording switch
    {
        WaitWording.LessThanAMinute => prompts.WaitLessThanAMinute,
        WaitWording.AboutAMinute => prompts.WaitAboutAMinute,
        WaitWording.AboutMinutes => string.Format(CultureInfo.InvariantCulture, prompts.WaitAboutMinutes, Minutes),
        _ => string.Format(CultureInfo.InvariantCulture, prompts.WaitMoreThanMinutes, Minutes),
    };
}

/// <summary>
/// Estimates how long a waiting caller has left, from what the database says now (<see cref="WaitSituation"/>), and
/// says nothing when it cannot stand behind a number: no operator staffed, too few recent calls to know the handle
/// time, or the database not answering in time.
/// </summary>
public sealed partial class WaitEstimator(
    Database database,
    IOptions<WaitEstimateOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<WaitEstimator> log)
{
    private readonly WaitEstimateOptions _o = options.Value;

    private sealed record Read(DateTimeOffset At, WaitSituation? Situation);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Read> _last = new(StringComparer.Ordinal);

    /// <summary>Draws stop here: past the cap and its rounding, every wait is said as "more than the cap".</summary>
    private TimeSpan Limit => TimeSpan.FromMinutes(_o.MaxAnnouncedMinutes + 5);

    /// <summary>The sentence a caller at <paramref name="position"/> hears after their place in line, or null for none.</summary>
    public async Task<string?> PhraseAsync(string callSid, string queue, int position, PromptSet prompts, CancellationToken ct)
    {
        if (!_o.Enabled || position < 1 || await SituationAsync(queue, ct) is not { } s || Estimate(s, position, _o.MinimumRecentCalls, Limit) is not { } wait)
        {
            return null;
        }

        var spoken = SpokenWait.Of(wait, _o.MaxAnnouncedMinutes);
        Estimated(log, callSid, position, Math.Round(wait.TotalSeconds), spoken.Wording, spoken.Minutes);
        return spoken.Say(prompts);
    }

    /// <summary>Twilio's largest queue: a place beyond it is no caller's.</summary>
    private const int MaxQueueSize = 5000;

    /// <summary>Draws of the wait per estimate: enough for its median within a few seconds.</summary>
    private const int Draws = 501;

    /// <summary>
    /// The typical (median) wait of the caller at <paramref name="position"/> (1: next), or null when it cannot be known.
    /// Drawn from what is known now: each staffed operator frees up when their state says — a ready one at once, one in
    /// wrap-up when their wrap-up ends (the recent mean wrap-up per call, less what they have done), one on a call after
    /// the rest of the talk (exponential, of the recent mean talk: a call's past tells nothing of its rest) and then
    /// their wrap-up — and then takes a caller after the recent pickup lag (<see cref="WaitSituation.PickupLagSeconds"/>);
    /// each freed operator takes the first caller ahead still waiting, then talks and wraps up again.
    /// Callers ahead hang up at the recent abandon rate. The median of the draws is said, not the mean: a wait is skewed,
    /// and half the callers should wait less than they are told. Draws stop at <paramref name="limit"/> (that wait or
    /// more). The draws are seeded by the position, so the same situation always gives the same words.
    /// </summary>
    public static TimeSpan? Estimate(WaitSituation s, int position, int minimumRecentCalls, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Staffed.Count == 0 || s.RecentCalls < minimumRecentCalls || s.TalkPerCall is not (> 0 and var talk) || position is < 1 or > MaxQueueSize)
        {
            return null;
        }

        var wrapUp = s.WrapUpPerCall ?? 0;
        var lag = s.PickupLagSeconds;
        var patience = s.AbandonsPerWaitSecond > 0 ? 1 / s.AbandonsPerWaitSecond : double.PositiveInfinity;
#pragma warning disable CA5394 // a simulation's draws, not a secret
        var random = new Random(position);
        double Exponential(double mean) => double.IsPositiveInfinity(mean) ? mean : -mean * Math.Log(1 - random.NextDouble());
#pragma warning restore CA5394
        var waits = new double[Draws];
        var free = new PriorityQueue<bool, double>(s.Staffed.Count);
        var ahead = position - 1;
        for (var d = 0; d < Draws; d++)
        {
            free.Clear();
            foreach (var op in s.Staffed)
            {
                var done = (s.Now - op.Since) / 1000.0;
                free.Enqueue(true, op.State switch
                {
                    OperatorStates.Ready => Math.Max(0, lag - done),
                    OperatorStates.WrapUp => Math.Max(0, wrapUp - done) + lag,
                    _ => Exponential(talk) + wrapUp + lag,
                });
            }

            // The callers ahead are served in order; each one's patience is drawn only when an operator reaches them, so
            // that a long queue costs no more than the operators' turns up to the limit.
            var next = 0;
            double? gone = null;
            double at;
            while (free.TryDequeue(out _, out at) && at < limit.TotalSeconds)
            {
                while (next < ahead && (gone ??= Exponential(patience)) <= at)
                {
                    (next, gone) = (next + 1, null); // hung up before an operator reached them
                }

                if (next == ahead)
                {
                    break;
                }

                (next, gone) = (next + 1, null);
                free.Enqueue(true, at + Exponential(talk) + wrapUp + lag);
            }

            waits[d] = Math.Min(at, limit.TotalSeconds);
        }

        Array.Sort(waits);
        return TimeSpan.FromSeconds(waits[Draws / 2]);
    }

    /// <summary>The situation now: read once per <see cref="WaitEstimateOptions.CacheSeconds"/> per instance; null when the read failed.</summary>
    private async Task<WaitSituation?> SituationAsync(string queue, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_last.TryGetValue(queue, out var last) && now >= last.At && now - last.At < TimeSpan.FromSeconds(_o.CacheSeconds))
        {
            return last.Situation;
        }

        WaitSituation? situation = null;
        try
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var from = nowMs - (_o.WindowMinutes * 60_000L);
            // A slow database must not hold the caller's hold music: past the bound, no estimate.
            situation = await Bounded.RunAsync(t => WaitSituation.ReadAsync(database, queue, from, nowMs, t),
                storage.Value.WriteTimeout, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Remembered too (as "nothing to say"), so that an outage does not cost every waiting caller the bound.
            ReadFailed(log, ex);
        }

        _last[queue] = new Read(now, situation);
        return situation;
    }

    // What the caller heard and the number behind it (the accuracy bench reads it too).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid} at place {Position}: estimated wait {Seconds} s, said as {Wording} {Minutes}")]
    private static partial void Estimated(ILogger logger, string callSid, int position, double seconds, WaitWording wording, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wait estimate could not read the database; waiting callers hear no estimate until it can")]
    private static partial void ReadFailed(ILogger logger, Exception ex);
}
