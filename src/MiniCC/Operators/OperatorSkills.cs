using Dapper;
using MiniCC.Storage;

namespace MiniCC.Operators;

/// <summary>A queue an operator serves, and their level in it (1–10).</summary>
public sealed record Skill(string Queue, int Level);

/// <summary>
/// Operators' skills (<c>operator_skills</c>, schema 17): the queues each serves. An operator without any serves every
/// queue, so a center with one queue never sets one.
/// </summary>
public sealed class OperatorSkills(Database database)
{
    public const int MinLevel = 1;
    public const int MaxLevel = 10;

    /// <summary>The operator's skills, highest level first; empty: every queue.</summary>
    public async Task<IReadOnlyList<Skill>> OfAsync(long operatorId, CancellationToken ct) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string Queue, long Level)>(new CommandDefinition(
            "SELECT queue_name, level FROM operator_skills WHERE operator_id = @operatorId ORDER BY level DESC, queue_name",
            new { operatorId }, cancellationToken: ct)), ct)).Select(r => new Skill(r.Queue.Trim(), (int)r.Level))];

    /// <summary>Every operator's skills, by operator.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<Skill>>> AllAsync(CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<(long OperatorId, string Queue, long Level)>(new CommandDefinition(
            "SELECT operator_id, queue_name, level FROM operator_skills ORDER BY operator_id, level DESC, queue_name", cancellationToken: ct)), ct);
        return rows.GroupBy(r => r.OperatorId).ToDictionary(g => g.Key, g => (IReadOnlyList<Skill>)[.. g.Select(r => new Skill(r.Queue.Trim(), (int)r.Level))]);
    }

    /// <summary>Replaces the operator's skills with <paramref name="skills"/> (none: every queue again).</summary>
    public Task SetAsync(long operatorId, IReadOnlyList<Skill> skills, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM operator_skills WHERE operator_id = @operatorId", new { operatorId }, tx, cancellationToken: ct));
            foreach (var s in skills)
            {
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO operator_skills (operator_id, queue_name, level) VALUES (@operatorId, @queue, @level)",
                    new { operatorId, queue = s.Queue, level = s.Level }, tx, cancellationToken: ct));
            }

            return true;
        }, ct);
}
