using System.Diagnostics.Metrics;
using MiniCC.Storage;

namespace MiniCC.Metrics;

/// <summary>
/// MiniCC's own instruments (meter <c>MiniCC</c>), recorded whether or not anything listens (then each costs a check):
/// what the history writer commits and how long it takes, and the database's errors. Made by the host's
/// <see cref="IMeterFactory"/>, so that each host (a test process runs many) has its own.
/// </summary>
public sealed class MiniCCMeter
{
    public const string Name = "MiniCC";

    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitSeconds;
    private readonly Counter<long> _databaseErrors;

    public MiniCCMeter(IMeterFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Meter = factory.Create(Name);
        _batchSize = Meter.CreateHistogram("minicc.history.batch.size", "{event}", "Events committed by one transaction of the history writer.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, HistoryWriter.MaxBatch] });
        _commitSeconds = Meter.CreateHistogram("minicc.history.commit.duration", "s", "How long one transaction of the history writer took, committed or not.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _databaseErrors = Meter.CreateCounter<long>("minicc.database.errors", "{error}", "Database operations that failed, by operation and kind.");
    }

    /// <summary>The meter, for the gauges read at each scrape (<see cref="LiveGauges"/>).</summary>
    public Meter Meter { get; }

    /// <summary>
    /// One transaction of the history writer: its time (committed or not), its size when committed (a failed batch is
    /// tried again, and would count twice), and its error.
    /// </summary>
    public void Transaction(int events, TimeSpan took, Exception? error)
    {
        _commitSeconds.Record(took.TotalSeconds, new KeyValuePair<string, object?>("outcome", error is null ? "committed" : "failed"));
        if (error is null)
        {
            _batchSize.Record(events);
        }
        else
        {
            DatabaseError("history-write", error);
        }
    }

    /// <summary>
    /// A database operation failed. <paramref name="operation"/>: <c>history-write</c>, <c>health</c>, <c>metrics-read</c>;
    /// the kind: <c>conflict</c> (given up for another transaction's sake), <c>refused</c> (the data), <c>unavailable</c> (the rest).
    /// </summary>
    public void DatabaseError(string operation, Exception ex) =>
        _databaseErrors.Add(1, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("kind", DatabaseErrors.IsConflict(ex) ? "conflict" : DatabaseErrors.IsPermanent(ex) ? "refused" : "unavailable"));
}
