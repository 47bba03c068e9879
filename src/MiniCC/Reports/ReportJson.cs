namespace MiniCC.Reports;

/// <summary>The report's JSON shape, shared by <c>minicc report --format json</c> and the pages' API.</summary>
public static class ReportJson
{
    public static object Of(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var t = r.Totals;
        return new
        {
            from = r.From,
            to = r.To,
            timeZone = r.TimeZone,
            intervalMinutes = r.IntervalMinutes,
            serviceLevelFormula = r.ServiceLevelFormula,
            serviceLevelSeconds = r.ServiceLevelSeconds,
            serviceLevelTargetPercent = r.ServiceLevelTargetPercent,
            queueServiceLevelSeconds = r.QueueServiceLevelSeconds,
            offered = t.Offered,
            answered = t.Answered,
            abandoned = t.Abandoned,
            shortAbandoned = t.ShortAbandoned,
            otherExits = t.OtherExits,
            stillWaiting = t.StillWaiting,
            abandonRatePercent = t.AbandonRatePercent,
            averageSpeedOfAnswerSeconds = t.AverageSpeedOfAnswerSeconds,
            serviceLevelPercent = t.ServiceLevelPercent,
            averageHandleTimeSeconds = t.AverageHandleTimeSeconds,
            longestWaitSeconds = t.LongestWaitSeconds,
            averageWaitSeconds = t.AverageWaitSeconds,
            ivrChoices = new
            {
                operatorChoice = r.Ivr.Operator,
                information = r.Ivr.Information,
                invalid = r.Ivr.Invalid,
                noInput = r.Ivr.NoInput,
                calls = r.Ivr.Calls,
                choices = r.Ivr.Choices.Select(c => new { choice = c.Choice, calls = c.Calls }),
            },
            days = r.Days.Select(d => new { day = d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), metrics = Metrics(d.Metrics) }),
            weekdayHours = r.WeekdayHours.Select(w => new { weekday = w.Weekday.ToString(), hour = w.Hour, metrics = Metrics(w.Metrics) }),
            intervals = r.Intervals.Select(i => new
            {
                start = i.Start,
                metrics = Metrics(i.Metrics),
                erlangCAgentsNeeded = i.ErlangCAgentsNeeded,
                operatorsSignedIn = i.OperatorsSignedIn,
            }),
            operators = r.Operators.Select(o => new
            {
                operatorId = o.OperatorId,
                phone = o.Phone,
                name = o.Name,
                callsTaken = o.CallsTaken,
                talkSeconds = o.TalkSeconds,
                averageHandleSeconds = o.AverageHandleSeconds,
                firstCall = o.FirstCall,
                lastCall = o.LastCall,
                signedInSeconds = o.SignedInSeconds,
                states = o.States is { } st
                    ? new { readySeconds = st.ReadySeconds, onCallSeconds = st.OnCallSeconds, wrapUpSeconds = st.WrapUpSeconds, breakSeconds = st.BreakSeconds,
                            occupancyPercent = st.OccupancyPercent }
                    : null,
            }),
            dispositions = r.Dispositions.Select(d => new { key = d.Key, calls = d.Calls }),
            notWaiting = NotWaiting(r.NotWaiting),
            abandonedCallers = r.AbandonedCallers.Select(a => new { callSid = a.CallSid, from = a.FromNumber, enteredAt = a.EnteredAt, waitSeconds = a.WaitSeconds }),
        };
    }

    private static object NotWaiting(NotWaiting n) => new
    {
        closedCalls = n.ClosedCalls,
        leftForCallback = n.LeftForCallback,
        leftForVoicemail = n.LeftForVoicemail,
        leftAtMaxWait = n.LeftAtMaxWait,
        callbacks = new
        {
            requested = n.Callbacks.Requested,
            completed = n.Callbacks.Completed,
            open = n.Callbacks.Open,
            failed = n.Callbacks.Failed,
            cancelled = n.Callbacks.Cancelled,
            unansweredAttempts = n.Callbacks.UnansweredAttempts,
            averageTimeToCallbackSeconds = n.Callbacks.AverageTimeToCallbackSeconds,
        },
        voicemails = n.Voicemails.Select(v => new { reason = v.Reason, offered = v.Offered, messages = v.Messages }),
    };

    public static object Metrics(QueueMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new
        {
            offered = m.Offered,
            answered = m.Answered,
            abandoned = m.Abandoned,
            shortAbandoned = m.ShortAbandoned,
            otherExits = m.OtherExits,
            stillWaiting = m.StillWaiting,
            abandonRatePercent = m.AbandonRatePercent,
            averageSpeedOfAnswerSeconds = m.AverageSpeedOfAnswerSeconds,
            serviceLevelPercent = m.ServiceLevelPercent,
            averageHandleTimeSeconds = m.AverageHandleTimeSeconds,
            averageTalkSeconds = m.AverageTalkSeconds,
            longestWaitSeconds = m.LongestWaitSeconds,
            averageWaitSeconds = m.AverageWaitSeconds,
        };
    }
}
