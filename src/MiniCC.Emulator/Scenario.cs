using System.Globalization;

namespace MiniCC.Emulator;

/// <summary>A day (or an hour) of a call center: who calls, when, what they want, how patient they are; who answers.</summary>
public sealed record Scenario
{
    /// <summary>How long customers keep arriving.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Stop after this many customers instead (null: by <see cref="Duration"/>).</summary>
    public int? Calls { get; init; }

    /// <summary>Poisson arrivals: customers per hour.</summary>
    public double ArrivalsPerHour { get; init; } = 120;

    /// <summary>Explicit arrival times (offsets from the start) instead of Poisson arrivals.</summary>
    public IReadOnlyList<TimeSpan>? ScriptedArrivals { get; init; }

    /// <summary>Operators who dial in at the start and stay in the loop until the end.</summary>
    public int Operators { get; init; } = 5;

    /// <summary>Mean talk time (exponential).</summary>
    public TimeSpan MeanTalk { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Mean patience in the queue before hanging up (exponential); null: nobody abandons.</summary>
    public TimeSpan? MeanPatience { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Ways through the app's own menu, each the caller's presses (see <see cref="CallerScript.Presses"/>, <c>say:</c> for
    /// words) with its share of callers; when set, they replace <see cref="InformationShare"/>, <see cref="NoInputShare"/>
    /// and <see cref="InvalidFirstShare"/> (shares that do not add up to 1 leave the rest pressing nothing).
    /// </summary>
    public IReadOnlyList<MenuPath>? MenuPaths { get; init; }

    /// <summary>Shares of menu behaviour; the rest press 1.</summary>
    public double InformationShare { get; init; } = 0.10;

    public double NoInputShare { get; init; } = 0.05;

    public double InvalidFirstShare { get; init; } = 0.05;

    /// <summary>Share of conversations the operator ends (the operator then calls in again).</summary>
    public double OperatorEndsShare { get; init; } = 0.2;

    /// <summary>Mean time an operator works between breaks (exponential); null: nobody takes a break.</summary>
    public TimeSpan? MeanTimeBetweenBreaks { get; init; }

    /// <summary>How long a break lasts.</summary>
    public TimeSpan BreakLength { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>When the day starts (the clock is run there first); null: wherever the emulator's clock is.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Share of callers who reach the queue and, instead of waiting, ask for a callback (the callback key, then the confirmation).</summary>
    public double CallbackShare { get; init; }

    /// <summary>Share of callers who reach the queue and leave a voicemail by key instead of waiting.</summary>
    public double VoicemailShare { get; init; }

    /// <summary>Mean time in the queue before those callers press their key (exponential, at least 5 s).</summary>
    public TimeSpan MeanTimeBeforeChoice { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Mean length of a message left after a beep (exponential, at least 3 s); 8 in 10 end it with the key, the rest hang up.</summary>
    public TimeSpan MeanMessage { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Shares of callbacks the customer answers and finds busy; the rest ring unanswered until the Dial's timeout.</summary>
    public double CalleeAnswerShare { get; init; } = 0.7;

    public double CalleeBusyShare { get; init; } = 0.1;

    /// <summary>How long after the last customer's call ends operators stay on while a callback request is still unserved.</summary>
    public TimeSpan CallbackDrain { get; init; } = TimeSpan.FromMinutes(30);

    public static string OperatorPhone(int i) => "+8190" + (10000000 + i).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A way through a menu: the caller's presses, and the share of callers who take it.</summary>
public sealed record MenuPath(IReadOnlyList<string> Presses, double Share);
