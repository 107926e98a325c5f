using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DocStore.Sqlite;

/// <summary>
/// Keeps the statements EF Core runs on the writer connection prepared. Microsoft.Data.Sqlite compiles a command's
/// SQL on every execution of a new command object, and EF Core makes a new one for every SaveChanges and query; the
/// writer runs the same few statements over and over (each modification is its own command, see
/// <see cref="SqliteEngine.UseEngine"/>), so this interceptor runs them on one prepared command per text instead,
/// with EF Core's parameter values. Only the writer task uses it, one statement at a time.
/// </summary>
internal sealed class WriterStatementCache : DbCommandInterceptor, IDisposable
{
    /// <summary>The most statements kept; texts past it run as EF Core made them.</summary>
    private const int Capacity = 256;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Prepared(command) is { } prepared ? InterceptionResult<DbDataReader>.SuppressWithResult(prepared.ExecuteReader(CommandBehavior.Default)) : result;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Prepared(command) is { } prepared ? InterceptionResult<int>.SuppressWithResult(prepared.ExecuteNonQuery()) : result;

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Prepared(command) is { } prepared ? InterceptionResult<object>.SuppressWithResult(prepared.ExecuteScalar()!) : result;

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ScalarExecuting(command, eventData, result));

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    /// <summary>The prepared command for <paramref name="command"/>'s text, bound to its transaction and parameter values; null to let it run as it is.</summary>
    private SqliteCommand? Prepared(DbCommand command)
    {
        if (command is not SqliteCommand { Connection: { } connection } source)
        {
            return null;
        }

        if (!_commands.TryGetValue(source.CommandText, out var prepared))
        {
            if (_commands.Count >= Capacity)
            {
                return null;
            }

            prepared = connection.CreateCommand();
            prepared.CommandText = source.CommandText;
            foreach (SqliteParameter parameter in source.Parameters)
            {
                prepared.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.SqliteType));
            }

            _commands.Add(source.CommandText, prepared);
        }

        if (prepared.Parameters.Count != source.Parameters.Count)
        {
            return null;
        }

        for (var i = 0; i < source.Parameters.Count; i++)
        {
            var from = source.Parameters[i];
            var to = prepared.Parameters[i];
            to.Size = from.Size;
            to.Value = from.Value;
        }

        prepared.Transaction = source.Transaction;
        return prepared;
    }
}
