using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Twilio.Webhooks;
using MiniCC.Voice;
using MySqlConnector;

namespace MiniCC.Storage;

/// <summary>
/// Imports an original Twilio-MiniCC MySQL database (operators, enqueue_data, queue_data,
/// statuscallback_data) into MiniCC's history, so a center that moves keeps its reports.
/// Each row goes through the same parameter checks and the same recording code as a live webhook,
/// so replays are recognised: a second import adds nothing.
/// </summary>
public sealed class LegacyImporter(OperatorStore operators, HistoryWriter history, IOptions<VoiceOptions> options)
{
    public sealed class TableReport(string table)
    {
        public string Table { get; } = table;
        public int Read { get; set; }
        public int Imported { get; set; }
        public int AlreadyPresent { get; set; }
        public List<string> Unmappable { get; } = [];
    }

    private sealed record Row(string Table, int Order, DateTime? Time, Dictionary<string, string?> Fields);

    private static readonly string[] Standard = ["CallSid", "From", "To", "CallStatus", "ApiVersion", "Direction", "ForwardedFrom", "CallerName"];

    private static readonly (string Table, int Order, string[] Own)[] Tables =
    [
        // Order within one instant: an operator picks up before the caller leaves the queue, the call ends last.
        ("queue_data", 0, ["QueueSid", "QueueTime", "DequeingCallSid"]),
        ("enqueue_data", 1, ["QueueResult", "QueueSid", "QueueTime"]),
        ("statuscallback_data", 2, ["CallDuration", "RecordingUrl", "RecordingSid", "RecordingDuration"]),
    ];

    public async Task<IReadOnlyList<TableReport>> ImportAsync(string legacyConnectionString, TimeZoneInfo legacyTimeZone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(legacyTimeZone);
        await using var legacy = new MySqlConnection(legacyConnectionString);
        await legacy.OpenAsync(ct);

        var reports = new List<TableReport>();
        var ops = new TableReport("operators");
        reports.Add(ops);
        foreach (var telnum in await legacy.QueryAsync<string?>(new CommandDefinition("SELECT telnum FROM operators", cancellationToken: ct)))
        {
            ops.Read++;
            var phone = PhoneNumber.Normalize(telnum, options.Value.DefaultCountryCode, out var error);
            if (phone is null)
            {
                ops.Unmappable.Add($"telnum '{telnum}': {error}");
            }
            else if (await operators.AddAsync(phone, null, ct))
            {
                ops.Imported++;
            }
            else
            {
                ops.AlreadyPresent++;
            }
        }

        var rows = new List<Row>();
        foreach (var (table, order, own) in Tables)
        {
            var report = new TableReport(table);
            reports.Add(report);
            var columns = string.Join(", ", Standard.Concat(own).Append("Time").Select(c => $"`{c}`"));
            await using var cmd = new MySqlCommand($"SELECT {columns} FROM {table}", legacy);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                report.Read++;
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var name in Standard.Concat(own))
                {
                    var value = reader[name];
                    fields[name] = value is DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
                }

                var time = reader["Time"] is DateTime t ? t : (DateTime?)null;
                rows.Add(new Row(table, order, time, fields));
            }
        }

        foreach (var row in rows.OrderBy(r => r.Time ?? DateTime.MinValue).ThenBy(r => r.Order))
        {
            var report = reports.First(r => r.Table == row.Table);
            var sid = row.Fields.GetValueOrDefault("CallSid") ?? "(null)";
            if (row.Time is not { } local)
            {
                report.Unmappable.Add($"CallSid {sid}: no Time");
                continue;
            }

            var parsed = VoiceWebhook.Parse(row.Fields
                .Where(f => f.Value is not null)
                .Select(f => KeyValuePair.Create(f.Key, (IReadOnlyList<string?>)[f.Value])));
            if (parsed.Webhook is not { } hook)
            {
                report.Unmappable.Add($"CallSid {sid}: {parsed.Error}");
                continue;
            }

            var at = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), legacyTimeZone.GetUtcOffset(local));
            var queue = options.Value.QueueName;
            var id = Guid.NewGuid().ToString("N");
            HistoryEvent e = row.Table switch
            {
                "queue_data" => new Pickup { Hook = hook, At = at.ToUnixTimeMilliseconds(), Id = id, Queue = queue },
                "enqueue_data" => new QueueExit { Hook = hook, At = at.ToUnixTimeMilliseconds(), Id = id, Queue = queue },
                _ => new CallEnd { Hook = hook, At = at.ToUnixTimeMilliseconds(), Id = id },
            };
            var isNew = await history.WriteAsync(e).WaitAsync(ct);
            if (isNew)
            {
                report.Imported++;
            }
            else
            {
                report.AlreadyPresent++;
            }
        }

        return reports;
    }
}
