using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;
using OperatorState = MiniCC.Storage.OperatorStates;

namespace MiniCC.Reports;

/// <summary>
/// What is happening now and today. <see cref="Waiting"/>, <see cref="OperatorsSignedIn"/> and
/// <see cref="OperatorsOnCall"/> count every open row; <see cref="Callers"/> and <see cref="Operators"/> list at most
/// <see cref="LiveQuery.MaxCallersListed"/> and <see cref="LiveQuery.MaxOperatorsListed"/> of them. Seconds are as of
/// <see cref="At"/>, the database's view at that moment.
/// </summary>
public sealed record Wallboard(
    DateTimeOffset At, long Waiting, long LongestCurrentWaitSeconds, long OperatorsSignedIn, long OperatorsOnCall,
    QueueMetrics Today, string ServiceLevelFormula, int ServiceLevelSeconds,
    IReadOnlyList<WaitingCaller> Callers, IReadOnlyList<OperatorNow> Operators,
    double ServiceLevelTargetPercent, double AbandonRateTargetPercent)
{
    /// <summary>Today's service level is at or above <c>MiniCC:Reports:ServiceLevelTargetPercent</c>.</summary>
    public bool ServiceLevelOnTarget => Today.ServiceLevelPercent >= ServiceLevelTargetPercent;

    /// <summary>Today's abandon rate is at or below <c>MiniCC:Reports:AbandonRateTargetPercent</c>.</summary>
    public bool AbandonRateOnTarget => Today.AbandonRatePercent <= AbandonRateTargetPercent;

    /// <summary>Each queue now and today, when the center has several (configured, or seen today); empty with one.</summary>
    public IReadOnlyList<QueueNow> Queues { get; init; } = [];
}

/// <summary>
/// One queue on the wallboard: callers waiting in it now and the longest of their waits, and its day so far, its service
/// level measured with its own T against its own target (MiniCC:Queues:N:ServiceLevelSeconds, ServiceLevelTargetPercent).
/// </summary>
public sealed record QueueNow(string Name, long Waiting, long LongestCurrentWaitSeconds, QueueMetrics Today,
    int ServiceLevelSeconds, double ServiceLevelTargetPercent)
{
    public bool ServiceLevelOnTarget => Today.ServiceLevelPercent >= ServiceLevelTargetPercent;
}

/// <summary>A caller in a queue now, not yet picked up.</summary>
public sealed record WaitingCaller(string CallSid, string? FromNumber, string QueueName, DateTimeOffset EnteredAt, long WaitSeconds);

/// <summary>
/// A signed-in operator (one per open session: an operator signed in on two phones is listed twice): what they are
/// doing (<see cref="OperatorState"/>) since when, and with whom when on a call.
/// </summary>
public sealed record OperatorNow(
    string CallSid, long OperatorId, string Phone, string? Name, DateTimeOffset SignedInAt,
    string State, DateTimeOffset StateSince, long StateSeconds, string? CustomerNumber, string? CustomerCallSid, string? Reason = null);

/// <summary>
/// What is happening now: the wallboard. It reads only open rows through their indexes and today's visits; it never
/// scans the history. Single calls (list, search, timeline) are <see cref="CallQuery"/>'s.
/// </summary>
public sealed class LiveQuery(Database database, ReportQuery reports, IOptions<ReportOptions> options, Queues.QueueDirectory queues, TimeProvider time)
{
    /// <summary>The wallboard lists this many waiting callers at most (the oldest); <see cref="Wallboard.Waiting"/> counts all.</summary>
    public const int MaxCallersListed = 500;

    /// <summary>The wallboard lists this many operator sessions at most; <see cref="Wallboard.OperatorsSignedIn"/> counts all.</summary>
    public const int MaxOperatorsListed = 500;

    /// <summary>Reads only open rows, through indexes (a test checks the plan).</summary>
    internal const string WallboardSql = """
            SELECT
              (SELECT COUNT(*) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since) AS Waiting,
              (SELECT MIN(entered_at) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since) AS OldestEntered,
              (SELECT COUNT(*) FROM operator_sessions WHERE ended_at IS NULL AND started_at >= @since) AS SignedIn,
              (SELECT COUNT(*) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NOT NULL AND entered_at >= @since) AS OnCall
        """;

    /// <summary>Callers waiting per queue, through ix_queue_visits_open as <see cref="WallboardSql"/>.</summary>
    internal const string QueuesSql = """
            SELECT queue_name AS QueueName, COUNT(*) AS Waiting, MIN(entered_at) AS OldestEntered
            FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since
            GROUP BY queue_name
        """;

    /// <summary>The waiting callers, oldest first, through ix_queue_visits_open (exited_at, entered_at), in its order.</summary>
    internal static readonly string CallersSql = $"""
            SELECT call_sid AS CallSid, from_number AS FromNumber, queue_name AS QueueName, entered_at AS EnteredAt
            FROM queue_visits
            WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since
            ORDER BY entered_at, id
            LIMIT {MaxCallersListed}
        """;

    /// <summary>
    /// Open sessions (ix_operator_sessions_open), each with its open pickup if any and the end of its last visit
    /// (both by ix_queue_visits_operator_call: a session's own visits, never the day's), and the operator's latest state
    /// (ix_operator_states_operator). A session with two open pickups (an exit not stored yet) has a row for each; the
    /// latest answered one is the call.
    /// </summary>
    internal static readonly string OperatorsSql = $"""
            SELECT s.call_sid AS CallSid, s.operator_id AS OperatorId, s.phone AS Phone, d.name AS Name, s.started_at AS SignedInAt,
                   v.call_sid AS CustomerCallSid, v.from_number AS CustomerNumber, v.answered_at AS AnsweredAt,
                   (SELECT MAX(x.exited_at) FROM queue_visits x WHERE x.operator_call_sid = s.call_sid) AS LastExitAt,
                   st.state AS StateName, st.reason AS Reason, st.started_at AS StateAt
            FROM operator_sessions s
            LEFT JOIN operator_directory d ON d.id = s.operator_id
            LEFT JOIN operator_states st ON st.id = ({StateRows.LatestId("s.operator_id")})
            LEFT JOIN queue_visits v ON v.operator_call_sid = s.call_sid
                 AND v.exited_at IS NULL AND v.answered_at IS NOT NULL AND v.entered_at >= @since
            WHERE s.ended_at IS NULL AND s.started_at >= @since
            ORDER BY s.phone, s.call_sid, v.answered_at
            LIMIT {MaxOperatorsListed * 2}
        """;

    private sealed record Counts
    {
        public long Waiting { get; init; }
        public long? OldestEntered { get; init; }
        public long SignedIn { get; init; }
        public long OnCall { get; init; }
    }

    private sealed record QueueRow
    {
        public string QueueName { get; init; } = "";
        public long Waiting { get; init; }
        public long OldestEntered { get; init; }
    }

    private sealed record CallerRow
    {
        public string CallSid { get; init; } = "";
        public string? FromNumber { get; init; }
        public string QueueName { get; init; } = "";
        public long EnteredAt { get; init; }
    }

    private sealed record OperatorRow
    {
        public string CallSid { get; init; } = "";
        public long OperatorId { get; init; }
        public string Phone { get; init; } = "";
        public string? Name { get; init; }
        public long SignedInAt { get; init; }
        public string? CustomerCallSid { get; init; }
        public string? CustomerNumber { get; init; }
        public long? AnsweredAt { get; init; }
        public long? LastExitAt { get; init; }
        public string? StateName { get; init; }
        public string? Reason { get; init; }
        public long? StateAt { get; init; }
    }

    public async Task<Wallboard> WallboardAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var since = Since(nowMs);
        // One round trip for the live part. The statements may see commits a few milliseconds apart; the feed reads its
        // change marker before them, so a commit that lands between them is seen as a change and read again.
        var (counts, queueRows, callerRows, operatorRows) = await database.ReadAsync(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(
                WallboardSql + ";\n" + QueuesSql + ";\n" + CallersSql + ";\n" + OperatorsSql, new { since }, cancellationToken: ct));
            return (await grid.ReadSingleAsync<Counts>(), (await grid.ReadAsync<QueueRow>()).ToList(),
                (await grid.ReadAsync<CallerRow>()).ToList(), (await grid.ReadAsync<OperatorRow>()).ToList());
        }, ct);

        var today = reports.LocalDate(now);
        var byQueue = await reports.QueueSumsAsync(reports.LocalMidnight(today), reports.LocalMidnight(today.AddDays(1)), ct);
        var sums = byQueue.Values.Aggregate(new QueueCounts(), (acc, q) => acc + q);
        var o = options.Value;
        long Seconds(long fromMs) => Math.Max(0, nowMs - fromMs) / 1000;
        var callers = callerRows
            .Select(r => new WaitingCaller(r.CallSid.Trim(), r.FromNumber, r.QueueName, At(r.EnteredAt), Seconds(r.EnteredAt)))
            .ToArray();
        return new Wallboard(now, counts.Waiting, counts.OldestEntered is { } oldest ? Seconds(oldest) : 0, counts.SignedIn, counts.OnCall,
            QueueMetrics.From(sums, o.ServiceLevelFormula), o.ServiceLevelFormula, o.ServiceLevelSeconds,
            callers, Operators(operatorRows, Seconds), o.ServiceLevelTargetPercent, o.AbandonRateTargetPercent)
        {
            Queues = Queues(byQueue, queueRows, Seconds),
        };
    }

    /// <summary>
    /// Callers waiting per queue and the signed-in operators: the wallboard's open rows alone (the same statements, one
    /// round trip, no day's totals), for the gauges <c>/metrics</c> serves.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, long> Waiting, IReadOnlyList<OperatorNow> Operators)> NowAsync(CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (queueRows, operatorRows) = await database.ReadAsync(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(
                QueuesSql + ";\n" + OperatorsSql, new { since = Since(nowMs) }, cancellationToken: ct));
            return ((await grid.ReadAsync<QueueRow>()).ToList(), (await grid.ReadAsync<OperatorRow>()).ToList());
        }, ct);
        return (queueRows.ToDictionary(r => r.QueueName.Trim(), r => r.Waiting, StringComparer.Ordinal),
            Operators(operatorRows, from => Math.Max(0, nowMs - from) / 1000));
    }

    /// <summary>A visit or session left open by a lost event must not haunt the board forever: look back one day at most.</summary>
    private static long Since(long nowMs) => nowMs - (24L * 3600 * 1000);

    /// <summary>The configured queues in their order, then any other seen today (a queue since removed); none when there is only one.</summary>
    private QueueNow[] Queues(IReadOnlyDictionary<string, QueueCounts> today, List<QueueRow> waiting, Func<long, long> seconds)
    {
        var now = waiting.ToDictionary(r => r.QueueName.Trim(), StringComparer.Ordinal);
        var names = queues.All.Select(q => q.Name).Concat(today.Keys).Concat(now.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count < 2)
        {
            return [];
        }

        var formula = options.Value.ServiceLevelFormula;
        return [.. names.Select(name => new QueueNow(name,
            now.TryGetValue(name, out var w) ? w.Waiting : 0, w is null ? 0 : seconds(w.OldestEntered),
            QueueMetrics.From(today.GetValueOrDefault(name) ?? new QueueCounts(), formula),
            reports.ServiceLevelSeconds(name), reports.ServiceLevelTargetPercent(name)))];
    }

    private static OperatorNow[] Operators(List<OperatorRow> rows, Func<long, long> seconds) =>
        rows.GroupBy(r => r.CallSid)
            .Select(session =>
            {
                // Rows come ordered by answered_at within a session (nulls first on SQLite and MySQL, last on PostgreSQL).
                var r = session.Where(x => x.AnsweredAt is not null).LastOrDefault() ?? session.First();
                // An open pickup is a call whatever the state rows say; wrap-up and breaks come from the operator's state.
                var held = r.AnsweredAt is null && r.StateName is OperatorState.WrapUp or OperatorState.Break && r.StateAt is not null;
                var (state, since) = r.AnsweredAt is { } answered ? (OperatorState.OnCall, answered)
                    : held ? (r.StateName!, r.StateAt!.Value)
                    : (OperatorState.Ready, Math.Max(r.LastExitAt ?? r.SignedInAt, Math.Max(r.SignedInAt, r.StateName == OperatorState.Ready ? r.StateAt ?? 0 : 0)));
                return new OperatorNow(r.CallSid.Trim(), r.OperatorId, r.Phone, r.Name, At(r.SignedInAt), state, At(since), seconds(since),
                    r.AnsweredAt is null ? null : r.CustomerNumber, r.AnsweredAt is null ? null : r.CustomerCallSid?.Trim(),
                    state == OperatorState.Break ? r.Reason : null);
            })
            .Take(MaxOperatorsListed)
            .ToArray();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
