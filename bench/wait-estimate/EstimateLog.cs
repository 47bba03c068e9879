using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiniCC.WaitEstimateBench;

/// <summary>
/// Keeps the number behind each call's first estimate, from the estimator's own log line (Debug), since the caller
/// hears only its words.
/// </summary>
public sealed class EstimateLog : ILoggerProvider
{
    public const string Category = "MiniCC.Voice.WaitEstimator";

    private readonly ConcurrentDictionary<string, double> _first = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> FirstSeconds => _first;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Logger(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(EstimateLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "CallSid").Value is string call
                && values.FirstOrDefault(v => v.Key == "Seconds").Value is { } seconds)
            {
                owner._first.TryAdd(call, Convert.ToDouble(seconds, CultureInfo.InvariantCulture));
            }
        }
    }
}
