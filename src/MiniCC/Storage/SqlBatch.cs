using System.Data;
using System.Data.Common;

namespace MiniCC.Storage;

/// <summary>
/// Statements to run together in one transaction, in order. A server database (MySQL, PostgreSQL) gets them in
/// one round trip (an ADO.NET batch); SQLite, in the same process, runs them one by one on commands it has
/// already prepared. Each statement keeps its own parameters, named as in its SQL.
/// </summary>
public sealed class SqlBatch(SqlDialect dialect)
{
    private readonly List<(string Sql, Arg[] Args)> _statements = [];

    /// <summary>A named parameter; the type is the one its value was declared with (a null still has one).</summary>
    public readonly record struct Arg(string Name, object? Value, DbType Type);

    // Named with their prefix: SQLite then finds each by its name at once, rather than trying @, $ and : in turn.
    public static Arg A(string name, string? value) => new("@" + name, value, DbType.String);

    public static Arg A(string name, long? value) => new("@" + name, value, DbType.Int64);

    public static Arg A(string name, int? value) => new("@" + name, value, DbType.Int32);

    public SqlDialect D => dialect;

    public int Count => _statements.Count;

    public void Add(string sql, params Arg[] args) => _statements.Add((sql, args));

    /// <summary>Adds the statements of another batch, after these.</summary>
    public void Add(SqlBatch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _statements.AddRange(other._statements);
    }

    /// <summary>
    /// Runs the statements; with <paramref name="counts"/>, returns how many rows each one affected (otherwise zeros).
    /// </summary>
    public async Task<int[]> ExecuteAsync(DbConnection connection, DbTransaction tx, PreparedCommands? prepared, bool counts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var affected = new int[_statements.Count];
        if (_statements.Count == 0)
        {
            return affected;
        }

        if (prepared is null && connection.CanCreateBatch)
        {
            await ExecuteBatchAsync(connection, tx, counts, affected, ct);
            return affected;
        }

        for (var i = 0; i < _statements.Count; i++)
        {
            var (sql, args) = _statements[i];
            var command = prepared?.For(connection, sql, args) ?? NewCommand(connection, sql, args);
            try
            {
                command.Transaction = tx;
                // A statement's text always comes with the same parameters in the same order (its code builds both).
                for (var j = 0; j < args.Length; j++)
                {
                    command.Parameters[j].Value = args[j].Value ?? DBNull.Value;
                }

                affected[i] = await command.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                if (prepared is null)
                {
                    await command.DisposeAsync();
                }
            }
        }

        return affected;
    }

    /// <summary>
    /// One round trip. PostgreSQL reports each statement's rows; MySqlConnector reports only the batch's total, so
    /// there each statement is followed by <c>SELECT ROW_COUNT()</c> when the counts are wanted.
    /// </summary>
    private async Task ExecuteBatchAsync(DbConnection connection, DbTransaction tx, bool counts, int[] affected, CancellationToken ct)
    {
        var rowCounts = counts && dialect == SqlDialect.MySql;
        await using var batch = connection.CreateBatch();
        batch.Transaction = tx;
        foreach (var (sql, args) in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var a in args)
            {
                command.Parameters.Add(Parameter(command.CreateParameter(), a));
            }

            batch.BatchCommands.Add(command);
            if (rowCounts)
            {
                var count = batch.CreateBatchCommand();
                count.CommandText = "SELECT ROW_COUNT()";
                batch.BatchCommands.Add(count);
            }
        }

        if (!rowCounts)
        {
            await batch.ExecuteNonQueryAsync(ct);
            if (counts)
            {
                for (var i = 0; i < affected.Length; i++)
                {
                    affected[i] = batch.BatchCommands[i].RecordsAffected;
                }
            }

            return;
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var next = 0;
        do
        {
            // Only the SELECTs have columns: one per statement, in order.
            if (reader.FieldCount > 0 && await reader.ReadAsync(ct))
            {
                affected[next++] = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        while (await reader.NextResultAsync(ct));

        if (next != affected.Length)
        {
            throw new InvalidOperationException($"The database reported {next} row counts for {affected.Length} statements.");
        }
    }

    private static DbCommand NewCommand(DbConnection connection, string sql, Arg[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var a in args)
        {
            command.Parameters.Add(Parameter(command.CreateParameter(), a));
        }

        return command;
    }

    /// <summary>Names, types and fills a parameter (a batch command's or a command's) from its argument.</summary>
    private static DbParameter Parameter(DbParameter p, Arg a)
    {
        p.ParameterName = a.Name;
        p.DbType = a.Type;
        p.Value = a.Value ?? DBNull.Value;
        return p;
    }

    /// <summary>
    /// Commands kept for one open connection, one per statement text, so SQLite prepares each statement once
    /// rather than on every execution. Belongs to that connection: dispose it with the connection.
    /// </summary>
    public sealed class PreparedCommands : IDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        internal DbCommand For(DbConnection connection, string sql, Arg[] args)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = NewCommand(connection, sql, args);
                _commands[sql] = command;
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }
}
