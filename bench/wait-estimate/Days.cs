using MiniCC.Emulator;

namespace MiniCC.WaitEstimateBench;

/// <summary>
/// The simulated days the estimate is measured on: the quiet, busy and overloaded hours of the end-to-end simulation
/// tests (SimulationTests), stretched to eight hours, and two more where callers wait long enough to hear numbers of
/// minutes: a quiet day with few operators, and the busy day with patient callers. Talk averages two minutes, and every
/// operator has the default 30 s of wrap-up after each call; arrivals are Poisson, talk and patience exponential.
/// </summary>
public static class Days
{
    /// <summary>Eight operators for about 50 queued callers an hour: answered at once, nobody waits to hear an estimate.</summary>
    public static readonly Scenario Quiet = Day(60, 8, 120);

    /// <summary>Three operators for the same callers: about two thirds busy, a few wait.</summary>
    public static readonly Scenario QuietFewOperators = Day(60, 3, 120);

    /// <summary>Five operators for about 130 queued callers an hour: a little more than they can take; callers give up after 90 s on average.</summary>
    public static readonly Scenario Busy = Day(150, 5, 90);

    /// <summary>The busy day with callers who wait five minutes on average before they hang up.</summary>
    public static readonly Scenario BusyPatient = Day(150, 5, 300);

    /// <summary>Three operators for about 200 queued callers an hour, who give up after 45 s on average: a long queue, many abandons.</summary>
    public static readonly Scenario Overloaded = Day(240, 3, 45);

    public static readonly IReadOnlyList<(string Name, Scenario Scenario)> All =
    [
        ("quiet", Quiet), ("quiet, 3 operators", QuietFewOperators), ("busy", Busy), ("busy, patient callers", BusyPatient), ("overloaded", Overloaded),
    ];

    private static Scenario Day(double perHour, int operators, double patienceSeconds) => new()
    {
        Duration = TimeSpan.FromHours(8),
        ArrivalsPerHour = perHour,
        Operators = operators,
        MeanTalk = TimeSpan.FromMinutes(2),
        MeanPatience = TimeSpan.FromSeconds(patienceSeconds),
    };
}
