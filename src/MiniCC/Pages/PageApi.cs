using MiniCC.Reports;

namespace MiniCC.Pages;

/// <summary>The JSON the charts draw (the same shape as <c>minicc report --format json</c>) and the wallboard's numbers. Signed-in users only.</summary>
public static class PageApi
{
    public static IEndpointRouteBuilder MapPageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization();
        api.MapGet(PageRoutes.ReportApi, async (ReportQuery reports, TimeProvider time, string? from, string? to, int? interval, string? queue,
            CancellationToken ct) =>
        {
            var range = DayRange.Parse(reports, time, from, to, interval, days: 1);
            return Results.Json(ReportJson.Of(await reports.RunAsync(range.From, range.To, range.Interval,
                string.IsNullOrEmpty(queue) ? null : queue, ReportSource.Rollups, ReportParts.Sums | ReportParts.QuietIntervals, ct)));
        });
        api.MapGet(PageRoutes.WallboardApi, async (LiveQuery live, CancellationToken ct) =>
        {
            var w = await live.WallboardAsync(ct);
            return Results.Json(new
            {
                at = w.At,
                waiting = w.Waiting,
                longestCurrentWaitSeconds = w.LongestCurrentWaitSeconds,
                operatorsSignedIn = w.OperatorsSignedIn,
                operatorsOnCall = w.OperatorsOnCall,
                today = ReportJson.Metrics(w.Today),
                serviceLevelFormula = w.ServiceLevelFormula,
                serviceLevelSeconds = w.ServiceLevelSeconds,
                serviceLevelTargetPercent = w.ServiceLevelTargetPercent,
                abandonRateTargetPercent = w.AbandonRateTargetPercent,
                serviceLevelOnTarget = w.ServiceLevelOnTarget,
                abandonRateOnTarget = w.AbandonRateOnTarget,
                queues = w.Queues.Select(q => new
                {
                    name = q.Name, waiting = q.Waiting, longestCurrentWaitSeconds = q.LongestCurrentWaitSeconds, today = ReportJson.Metrics(q.Today),
                    serviceLevelSeconds = q.ServiceLevelSeconds, serviceLevelTargetPercent = q.ServiceLevelTargetPercent,
                    serviceLevelOnTarget = q.ServiceLevelOnTarget,
                }),
                callers = w.Callers.Select(c => new { callSid = c.CallSid, from = c.FromNumber, queue = c.QueueName, enteredAt = c.EnteredAt, waitSeconds = c.WaitSeconds }),
                operators = w.Operators.Select(o => new
                {
                    phone = o.Phone, name = o.Name, state = o.State, since = o.StateSince, seconds = o.StateSeconds,
                    customer = o.CustomerNumber, customerCallSid = o.CustomerCallSid,
                }),
            });
        });
        return app;
    }
}
