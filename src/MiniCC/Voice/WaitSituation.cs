using Dapper;
using MiniCC.Operators;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Voice;

/// <summary>
/// What the wait estimate starts from, as the database has it now (every instance reads the same): the operators
/// staffed now and how many of them are ready, and the queue's recent past — its calls' handle time and how soon its
/// waiting callers hang up.
/// </summary>
public sealed record WaitSituation
{
    /// <summary>
    /// The operators who will take a caller — ready, on a call or in wrap-up (break and offline do not count) — each
    /// with their state and when it began.
    /// </summary>
    public IReadOnlyList<StaffedOperator> Staffed { get; init; } = [];

    /// <summary>When the situation was read (Unix milliseconds).</summary>
    public long Now { get; init; }

    /// <summary>Answered calls whose talk ended within the window: the handle time is theirs.</summary>
    public long RecentCalls { get; init; }

    /// <summary>Their talk, in seconds.</summary>
    public long TalkSeconds { get; init; }

    /// <summary>Every operator's wrap-up within the window, in seconds.</summary>
    public long WrapUpSeconds { get; init; }

    /// <summary>Callers who hung up while waiting, among the visits that ended within the window.</summary>
    public long Abandons { get; init; }

    /// <summary>The waits of every visit that ended within the window (answered or not), in seconds.</summary>
    public long WaitSeconds { get; init; }

    /// <summary>
    /// How long a caller who was already waiting still waited after an operator became ready, on average over the
    /// window's pickups (seconds; 0 without such a pickup): the loop first tells the operator they are ready, then
    /// connects them. Each freed operator adds it.
    /// </summary>
    public double PickupLagSeconds { get; init; }

    /// <summary>Mean talk of the recent calls, in seconds; null without a call.</summary>
    public double? TalkPerCall => RecentCalls == 0 ? null : (double)TalkSeconds / RecentCalls;

    /// <summary>Mean wrap-up after each of them (an operator in wrap-up takes nobody), in seconds; null without a call.</summary>
    public double? WrapUpPerCall => RecentCalls == 0 ? null : (double)WrapUpSeconds / RecentCalls;

    /// <summary>
    /// How often a waiting caller hangs up, per second of waiting: abandons ÷ all seconds waited (the rate of an
    /// exponential patience, estimated from every wait, answered ones included, since those callers had not hung up yet).
    /// </summary>
    public double AbandonsPerWaitSecond => WaitSeconds == 0 ? 0 : (double)Abandons / WaitSeconds;

    /// <summary>Reads the situation of <paramref name="queue"/> at <paramref name="now"/>, its recent past from <paramref name="from"/>.</summary>
    public static async Task<WaitSituation> ReadAsync(Database database, string queue, long from, long now, CancellationToken ct)
    {
        var staffed = await OperatorStateStore.ReadStaffedAsync(database, queue, ct);

        // Visits that ended within the window, by ix_queue_visits_open (exited_at, entered_at).
        var recent = await database.ReadAsync(c => c.QuerySingleAsync<WaitSituation>(new CommandDefinition("""
            SELECT COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND talk_seconds IS NOT NULL THEN 1 ELSE 0 END), 0) AS RecentCalls,
                   COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND talk_seconds IS NOT NULL THEN talk_seconds ELSE 0 END), 0) AS TalkSeconds,
                   COALESCE(SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' THEN 1 ELSE 0 END), 0) AS Abandons,
                   COALESCE(SUM(COALESCE(wait_seconds, 0)), 0) AS WaitSeconds
            FROM queue_visits
            WHERE exited_at >= @from AND exited_at <= @now AND queue_name = @queue
            """, new { queue, from, now }, cancellationToken: ct)), ct);

        // Each pickup with the start of its operator's ready state before it (by ix_operator_states_operator); only those
        // of callers who were waiting already when the operator became ready measure the lag.
        var pickups = await database.ReadAsync(async c => (await c.QueryAsync<(long EnteredAt, long AnsweredAt, long? ReadyAt)>(new CommandDefinition($"""
            SELECT v.entered_at, v.answered_at,
                   (SELECT MAX(s.started_at) FROM operator_states s
                    WHERE s.operator_id = v.operator_id AND s.state = '{OperatorStates.Ready}' AND s.started_at <= v.answered_at) AS ready_at
            FROM queue_visits v
            WHERE v.answered_at >= @from AND v.answered_at <= @now AND v.queue_name = @queue AND v.operator_id IS NOT NULL
            """, new { queue, from, now }, cancellationToken: ct))).ToList(), ct);
        var lags = pickups.Where(p => p.ReadyAt >= p.EnteredAt).Select(p => (p.AnsweredAt - p.ReadyAt!.Value) / 1000.0).ToList();

        // Wrap-up belongs to no queue yet (as in the reports): all of it counts.
        var states = await StateTimes.ReadAsync(database, from, now, now, ct);
        return recent with
        {
            Staffed = staffed,
            Now = now,
            PickupLagSeconds = lags.Count == 0 ? 0 : lags.Average(),
            WrapUpSeconds = states.WrapUpWithin(from, now),
        };
    }
}
