using System.Collections;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Writes a new case as the domain built it (<see cref="Case.Open"/> and whatever the intake added: consents, guardians,
/// links with their ledger events, the first timeline events, an assignment) with the rows the context holds as added
/// (a staff intake's access-log row, evidence hashes), its contact lookups and its dashboard deltas, by one INSERT
/// statement (<see cref="InsertBatch"/>): one round trip, which PostgreSQL runs as one transaction, all of it or none.
/// EF Core's change tracker and update pipeline cost an intake more CPU than anything else it did. The statement comes
/// from EF Core's model (its tables, columns and type mappings) and the field cipher's sealing for each row, so the
/// rows read back through EF Core exactly as if it had written them.
/// </summary>
public static class NewCaseWriter
{
    /// <summary>
    /// Writes the case and the context's added rows, then forgets them. Refuses when the context holds changes to rows
    /// that already exist: this writes new rows only. Sent through EF Core's raw SQL path, so it runs in the context's
    /// transaction when one is open and the context's command interceptors see it.
    /// </summary>
    public static async Task WriteAsync(PortalDbContext db, Case @case, CancellationToken cancellationToken)
    {
        ContactLookups.Compute(db, @case);
        var batch = new InsertBatch(db);
        batch.Insert(@case);
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    batch.Insert(entry.Entity);
                    break;
                case EntityState.Unchanged or EntityState.Detached:
                    break;
                default:
                    throw new InvalidOperationException($"A new case is written with new rows only; the context holds a {entry.State} {entry.Metadata.DisplayName()}.");
            }
        }
        DashboardLedger.AppendNewCase(batch, @case);
        await batch.ExecuteAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}

/// <summary>
/// One INSERT statement for new entities, built from EF Core's model: an entity's table, its columns (with those of its
/// complex properties) and each column's type mapping, which converts the value as EF Core would (enums by name, the
/// crime types' array). Encrypted values are sealed for their row here (<see cref="FieldPlaces"/>), as the context
/// seals them before its own saves. Foreign keys are taken from the principal the entity hangs under, as EF Core's
/// fix-up would.
/// <para>
/// The rows of a table are written together, by one INSERT with a row of values each, and every table's INSERT is a
/// part of one statement (data-modifying <c>WITH</c> parts). PostgreSQL starts and ends its executor, its snapshot and
/// its foreign-key checks once for the whole report instead of once a row: a report's thirty-odd statements cost the
/// database twice what the same rows cost it written as a handful. Foreign keys are checked at the end of the
/// statement, so the parts may come in any order. A row whose key the database draws (an identity column) and
/// that other rows name gets a part of its own, which returns the key; the rows naming it read it from there.
/// </para>
/// </summary>
public sealed class InsertBatch(PortalDbContext db)
{
    // Positional ($1, $2...): Npgsql sends the statement as it is, without parsing it for names to rewrite.
    private readonly List<DbParameter> _parameters = [];
    // Type mappings make their parameters through a command; this one only makes them (it never runs, nor holds them).
    private static readonly NpgsqlCommand ParameterFactory = new();

    private readonly HashSet<object> _written = new(ReferenceEqualityComparer.Instance);

    // Parts returning a key the database drew, named k0, k1...: they come first, so any later part may read them.
    private readonly List<string> _keyed = [];

    // The other rows, by table, in the order the tables were first met.
    private readonly Dictionary<InsertPlan, List<string?[]>> _rows = [];

    // Statements of the caller's (Add), written last.
    private readonly List<string> _added = [];

    // The SQL that reads the key the database drew for a row of this statement, by entity.
    private readonly Dictionary<object, string> _drawnKeys = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds an entity, and the dependents reachable through its navigations, each once.</summary>
    public void Insert(object entity) =>
        Insert(entity, db.Model.FindEntityType(entity.GetType()) ?? throw new InvalidOperationException($"{entity.GetType().Name} is not part of the model."), under: null);

    /// <summary>
    /// Adds an INSERT of the caller's (without a closing semicolon), written as a part of the same statement;
    /// <see cref="Parameter"/> names its values.
    /// </summary>
    public void Add(string insert) => _added.Add(insert);

    /// <summary>A value for a statement added with <see cref="Add"/>: its parameter's placeholder.</summary>
    public string Parameter(object? value)
    {
        _parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return Placeholder();
    }

    /// <summary>The one statement: every part but the last in <c>WITH</c>, the last as its body.</summary>
    public string Sql()
    {
        var count = _keyed.Count + _rows.Count + _added.Count;
        var sql = new StringBuilder(8192);
        var index = 0;
        foreach (var part in _keyed) Close(Open(sql, index, count).Append(part), ++index, count);
        foreach (var (plan, rows) in _rows) Close(AppendRows(Open(sql, index, count), plan, rows), ++index, count);
        foreach (var part in _added) Close(Open(sql, index, count).Append(part), ++index, count);
        return sql.ToString();
    }

    // Part <index> of <count>: a WITH part (k0, k1... for the keyed ones, which come first), or the statement's body
    // when it is the last.
    private StringBuilder Open(StringBuilder sql, int index, int count)
    {
        if (index == count - 1) return index == 0 ? sql : sql.Append('\n');
        sql.Append(index == 0 ? "WITH " : ",\n");
        return (index < _keyed.Count ? sql.Append(KeyedName(index)) : sql.Append('w').Append(index)).Append(" AS (");
    }

    private static void Close(StringBuilder sql, int next, int count)
    {
        if (next < count) sql.Append(')');
    }

    /// <summary>
    /// Runs the statement on the context's connection, in its transaction when one is open. Sent as EF Core's raw SQL
    /// would be, but with positional parameters, which its raw SQL path does not take (it names and copies each
    /// one): the context's command interceptors and diagnostics still see the command, as they see any of its own.
    /// </summary>
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var sql = Sql();
        if (sql.Length == 0) return;
        var connection = db.GetService<IRelationalConnection>();
        var diagnostics = db.GetService<IRelationalCommandDiagnosticsLogger>();
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = connection.DbConnection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = connection.CurrentTransaction?.GetDbTransaction();
            command.Parameters.AddRange(_parameters.ToArray());
            var commandId = Guid.NewGuid();
            var started = DateTimeOffset.UtcNow;
            var timer = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var intercepted = await diagnostics.CommandNonQueryExecutingAsync(
                    connection, command, sql, db, commandId, connection.ConnectionId, started, CommandSource.ExecuteSqlRaw, cancellationToken);
                var rows = intercepted.HasResult ? intercepted.Result : await command.ExecuteNonQueryAsync(cancellationToken);
                await diagnostics.CommandNonQueryExecutedAsync(
                    connection, command, sql, db, commandId, connection.ConnectionId, rows, started, timer.Elapsed, CommandSource.ExecuteSqlRaw, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await diagnostics.CommandErrorAsync(
                    connection, command, sql, db, DbCommandMethod.ExecuteNonQuery, commandId, connection.ConnectionId, e, started, timer.Elapsed,
                    CommandSource.ExecuteSqlRaw, cancellationToken);
                throw;
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private string Placeholder() => "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);

    private static string KeyedName(int index) => "k" + index.ToString(CultureInfo.InvariantCulture);

    // One INSERT for a table's rows; a column some rows leave to the database takes its default in those rows.
    private static StringBuilder AppendRows(StringBuilder sql, InsertPlan plan, List<string?[]> rows)
    {
        Span<bool> used = stackalloc bool[plan.Columns.Count];
        foreach (var row in rows)
        {
            for (var c = 0; c < used.Length; c++) used[c] |= row[c] is not null;
        }
        sql.Append("INSERT INTO ").Append(plan.Table).Append(" (");
        var first = true;
        for (var c = 0; c < used.Length; c++)
        {
            if (!used[c]) continue;
            sql.Append(first ? "" : ", ").Append(plan.Columns[c].Name);
            first = false;
        }
        sql.Append(") VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            first = true;
            for (var c = 0; c < used.Length; c++)
            {
                if (!used[c]) continue;
                sql.Append(first ? "" : ", ").Append(rows[r][c] ?? "DEFAULT");
                first = false;
            }
            sql.Append(')');
        }
        return sql;
    }

    private void Insert(object entity, IEntityType type, (IForeignKey Key, object Principal)? under)
    {
        if (!_written.Add(entity)) return;
        var plan = InsertPlan.Of(type, db.GetService<ISqlGenerationHelper>());
        foreach (var principal in plan.NewPrincipals)
        {
            if (principal.GetGetter().GetClrValue(entity) is { } target) Insert(target, principal.TargetEntityType, under: null);
        }
        AppendRow(entity, plan, under);
        foreach (var dependents in plan.Dependents)
        {
            switch (dependents.GetGetter().GetClrValue(entity))
            {
                case null:
                    break;
                case IEnumerable many when dependents.IsCollection:
                    foreach (var dependent in many) Insert(dependent, dependents.TargetEntityType, (dependents.ForeignKey, entity));
                    break;
                case var one:
                    Insert(one, dependents.TargetEntityType, (dependents.ForeignKey, entity));
                    break;
            }
        }
    }

    /// <summary>Whether a row has dependents in this statement, which must read the key the database draws for it.</summary>
    private static bool HasDependents(object entity, InsertPlan plan) =>
        plan.Dependents.Any(d => d.GetGetter().GetClrValue(entity) switch
        {
            null => false,
            IEnumerable many when d.IsCollection => many.GetEnumerator().MoveNext(),
            _ => true,
        });

    private void AppendRow(object entity, InsertPlan plan, (IForeignKey Key, object Principal)? under)
    {
        // What EF Core's fix-up would set: the foreign key to the principal this row hangs under, and to a principal
        // it names by navigation.
        Dictionary<IProperty, object?>? fixedUp = null;
        Dictionary<IProperty, string>? drawn = null;
        void FixUp(IForeignKey key, object principal)
        {
            for (var i = 0; i < key.Properties.Count; i++)
            {
                if (_drawnKeys.TryGetValue(principal, out var sql))
                {
                    (drawn ??= []).Add(key.Properties[i], sql);
                    continue;
                }
                (fixedUp ??= []).Add(key.Properties[i], key.PrincipalKey.Properties[i].GetGetter().GetClrValue(principal));
            }
        }
        if (under is { } parent) FixUp(parent.Key, parent.Principal);
        foreach (var principal in plan.NewPrincipals)
        {
            if (principal.GetGetter().GetClrValue(entity) is { } target) FixUp(principal.ForeignKey, target);
        }
        object? ValueOf(IProperty property) =>
            fixedUp is not null && fixedUp.TryGetValue(property, out var value) ? value
            : property.IsShadowProperty() ? plan.ShadowValue(property)
            : property.GetGetter().GetClrValueUsingContainingEntity(entity);

        string? rowKey = null;
        var values = new string?[plan.Columns.Count];
        for (var c = 0; c < plan.Columns.Count; c++)
        {
            var column = plan.Columns[c];
            var property = column.Property;
            if (drawn is not null && drawn.TryGetValue(property, out var drawnKey))
            {
                values[c] = drawnKey;
                continue;
            }
            var value = ValueOf(property);
            // A value the database makes (an identity key, xmin, a default) is left to it while the entity has none.
            if (property.ValueGenerated != ValueGenerated.Never && (fixedUp is null || !fixedUp.ContainsKey(property))
                && !property.IsShadowProperty() && property.GetGetter().HasSentinelValueUsingContainingEntity(entity))
            {
                continue;
            }
            if (column.Encrypted)
            {
                rowKey ??= FieldPlaces.RowKeyOf(plan.EntityType, p => ValueOf((IProperty)p));
                _parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = Seal(column, (string?)value, rowKey) ?? (object)DBNull.Value });
            }
            else
            {
                _parameters.Add(column.Mapping.CreateParameter(ParameterFactory, "", value, property.IsNullable));
            }
            values[c] = Placeholder();
        }

        if (plan.DrawnKey is { } key && key.GetGetter().HasSentinelValue(entity) && HasDependents(entity, plan))
        {
            var part = KeyedName(_keyed.Count);
            _keyed.Add(AppendRows(new StringBuilder(512), plan, [values]).Append(" RETURNING ").Append(plan.DrawnKeyColumn).ToString());
            _drawnKeys[entity] = $"(SELECT {plan.DrawnKeyColumn} FROM {part})";
            return;
        }
        if (!_rows.TryGetValue(plan, out var rows)) _rows.Add(plan, rows = []);
        rows.Add(values);
    }

    // As the context's save does (FieldPlaces.SealForSave, then the column's converter): a text bound to its table,
    // column and row; an empty text bound to no row.
    private byte[]? Seal(InsertPlan.Column column, string? plain, string rowKey) => plain switch
    {
        null => null,
        { Length: 0 } => db.Cipher.Encrypt(plain, FieldPlaces.PlaceOf(column.Property, "")),
        _ => db.Cipher.Encrypt(plain, FieldPlaces.PlaceOf(column.Property, rowKey)),
    };
}

/// <summary>How rows of one entity type are inserted: read once per model from EF Core's metadata.</summary>
internal sealed class InsertPlan
{
    private static readonly ConditionalWeakTable<IEntityType, InsertPlan> Plans = [];

    private InsertPlan(IEntityType type, ISqlGenerationHelper helper)
    {
        EntityType = type;
        var tableName = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        Table = helper.DelimitIdentifier(tableName, type.GetSchema());
        Columns = [.. AllProperties(type).Select(p => new Column(p, helper.DelimitIdentifier(p.GetColumnName()), p.GetRelationalTypeMapping(), p.IsEncrypted()))];
        foreach (var property in type.GetProperties().Where(p => p.IsShadowProperty() && !p.IsForeignKey() && p != type.FindDiscriminatorProperty()))
        {
            throw new InvalidOperationException($"{type.DisplayName()}.{property.Name} has no value outside the change tracker.");
        }
        if (type.FindPrimaryKey()?.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } key] && (key.ClrType == typeof(long) || key.ClrType == typeof(int)))
        {
            DrawnKey = key;
            DrawnKeyColumn = helper.DelimitIdentifier(key.GetColumnName());
        }
        Dependents = [.. type.GetNavigations().Where(n => !n.IsOnDependent)];
        NewPrincipals = [.. type.GetNavigations().Where(n => n.IsOnDependent && IsMadeWithItsDependent(n))];
    }

    public IEntityType EntityType { get; }

    public string Table { get; }

    public IReadOnlyList<Column> Columns { get; }

    public IProperty? DrawnKey { get; }

    public string? DrawnKeyColumn { get; }

    /// <summary>Navigations to rows that hang under this one (a case's tracks, a link's ledger events).</summary>
    public IReadOnlyList<INavigation> Dependents { get; }

    /// <summary>Navigations to principals written with this row, before it (a new case's victim).</summary>
    public IReadOnlyList<INavigation> NewPrincipals { get; }

    public sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, bool Encrypted);

    public static InsertPlan Of(IEntityType type, ISqlGenerationHelper helper) =>
        Plans.TryGetValue(type, out var plan) ? plan : Plans.GetValue(type, t => new InsertPlan(t, helper));

    public object? ShadowValue(IProperty property) =>
        property == EntityType.FindDiscriminatorProperty() ? EntityType.GetDiscriminatorValue() : null;

    /// <summary>
    /// Every other principal a new row names (a companion, a platform, a partner) already exists: only its key is
    /// written. A victim exists only with her case.
    /// </summary>
    private static bool IsMadeWithItsDependent(INavigation navigation) =>
        navigation.DeclaringEntityType.ClrType == typeof(Case) && navigation.Name == nameof(Case.Victim);

    private static IEnumerable<IProperty> AllProperties(ITypeBase type) =>
        type.GetProperties().Concat(type.GetComplexProperties().SelectMany(c => AllProperties(c.ComplexType)));
}
