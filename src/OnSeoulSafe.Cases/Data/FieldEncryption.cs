using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Marks free-text properties that hold victim data; the context encrypts them with <see cref="FieldCipher"/>, each
/// value bound to its table, column and row (<see cref="FieldPlaces"/>).
/// </summary>
public static class FieldEncryption
{
    private const string Annotation = "Portal:Encrypted";

    public static PropertyBuilder<T> IsEncrypted<T>(this PropertyBuilder<T> property)
        where T : class? =>
        typeof(T) == typeof(string)
            ? property.HasAnnotation(Annotation, true).HasColumnType("bytea")
            : throw new InvalidOperationException("Only text properties can be encrypted.");

    public static ComplexTypePropertyBuilder<string?> IsEncrypted(this ComplexTypePropertyBuilder<string?> property) =>
        property.HasAnnotation(Annotation, true).HasColumnType("bytea");

    internal static bool IsEncrypted(this IReadOnlyProperty property) => property.FindAnnotation(Annotation)?.Value is true;
}

/// <summary>
/// How a value is bound to its row. A value converter sees only the value, never its row, so the binding is done
/// around it: before a save the context seals each encrypted value it is about to write for its row
/// (<see cref="SealForSave"/>) and the converter writes that sealed value; on a read the converter decrypts with the
/// table and column of its property (a value from another table or column fails there) and notes the row key the value
/// was written for, which the materialization check compares with the row the entity was read from.
/// The row key is the row's primary key when the portal chooses it before inserting (cases, victims, narratives);
/// for rows whose key the database draws on insert it is the case the row belongs to (messages, timeline events,
/// content items), so a value cannot move from one victim's file to another's.
/// </summary>
internal static class FieldPlaces
{
    private const string RowKeyAnnotation = "Portal:EncryptedRowKey";

    // Values sealed for their row before a save, by the very string instance the entity holds (a fresh copy per value).
    private static readonly ConditionalWeakTable<string, byte[]> Sealed = [];

    // The row key each decrypted version 2 value was written for, by the string instance the converter returned.
    private static readonly ConditionalWeakTable<string, string> WrittenFor = [];

    public static string? RowKeyPropertyName(IReadOnlyEntityType entityType) =>
        entityType.FindAnnotation(RowKeyAnnotation)?.Value as string;

    /// <summary>Chooses and records the row key of an entity type that has encrypted properties.</summary>
    public static void ChooseRowKey(IMutableEntityType entityType)
    {
        var key = entityType.FindPrimaryKey()?.Properties is [var single] ? single : null;
        var keyKnownBeforeInsert = key is not null
            && (key.ValueGenerated == ValueGenerated.Never || key.ClrType == typeof(Guid) || key.IsForeignKey());
        var rowKey = keyKnownBeforeInsert ? key!.Name : entityType.FindProperty("CaseId")?.Name ?? "";
        entityType.SetAnnotation(RowKeyAnnotation, rowKey);
    }

    public static string RowKeyOf(IReadOnlyEntityType entityType, Func<IReadOnlyProperty, object?> value)
    {
        var name = RowKeyPropertyName(entityType);
        if (string.IsNullOrEmpty(name)) return "";
        return value(entityType.FindProperty(name)!) switch
        {
            null => "",
            Guid g => g.ToString("D"),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        };
    }

    public static IEnumerable<(IProperty Property, IComplexProperty? Complex)> EncryptedProperties(IEntityType entityType) =>
        entityType.GetProperties().Where(p => p.IsEncrypted()).Select(p => (p, (IComplexProperty?)null))
            .Concat(entityType.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties().Where(p => p.IsEncrypted()).Select(p => (p, (IComplexProperty?)c))));

    public static FieldPlace PlaceOf(IReadOnlyProperty property, string rowKey)
    {
        var entityType = property.DeclaringType.ContainingEntityType;
        return new FieldPlace(entityType.GetTableName()!, property.GetColumnName(), rowKey);
    }

    /// <summary>
    /// Seals every encrypted value the save will write for its row: all of an added row's, a changed row's changed
    /// ones, and all of a row whose row key changed (a link that joins a case).
    /// </summary>
    public static void SealForSave(DbContext db, FieldCipher cipher, bool detectChanges = true)
    {
        if (detectChanges) db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            var entityType = entry.Metadata;
            var rowKeyName = RowKeyPropertyName(entityType);
            if (rowKeyName is null) continue;
            var rowKeyMoved = entry.State == EntityState.Modified && rowKeyName.Length > 0 && entry.Property(rowKeyName).IsModified;
            var rowKey = RowKeyOf(entityType, p => entry.Property(p.Name).CurrentValue);
            foreach (var (property, complex) in EncryptedProperties(entityType))
            {
                var value = complex is null ? entry.Property(property) : entry.ComplexProperty(complex).Property(property);
                if (value.CurrentValue is not string { Length: > 0 } plain) continue;
                if (entry.State == EntityState.Modified && !value.IsModified && !rowKeyMoved) continue;
                var copy = new string(plain.AsSpan());
                Sealed.AddOrUpdate(copy, cipher.Encrypt(plain, PlaceOf(property, rowKey)));
                // EF Core skips a write of an equal value, so the copy goes in by way of null; the property stays as
                // modified as it was (an added row's state is its own).
                var wasModified = value.IsModified;
                value.CurrentValue = null;
                value.CurrentValue = copy;
                if (entry.State == EntityState.Modified) value.IsModified = wasModified || rowKeyMoved;
            }
        }
    }

    public static byte[] Write(FieldCipher cipher, FieldPlace columnPlace, string plain)
    {
        if (Sealed.TryGetValue(plain, out var sealedValue)) return sealedValue;
        // An empty text says nothing wherever it is copied, and is one shared string instance: bound to no row.
        if (plain.Length == 0) return cipher.Encrypt(plain, columnPlace);
        throw new InvalidOperationException(
            $"An encrypted value for {columnPlace.Table}.{columnPlace.Column} reached the database without being sealed for its row: write it through SaveChanges.");
    }

    public static string Read(FieldCipher cipher, FieldPlace columnPlace, byte[] stored)
    {
        var plain = cipher.Decrypt(stored, columnPlace.Table, columnPlace.Column, out var rowKey);
        if (rowKey is not null && plain.Length > 0) WrittenFor.AddOrUpdate(plain, rowKey);
        return plain;
    }

    /// <summary>Refuses an entity whose encrypted values were written for another row.</summary>
    public static void CheckRead(IEntityType entityType, object entity)
    {
        if (RowKeyPropertyName(entityType) is null) return;
        var rowKey = RowKeyOf(entityType, p => ((IProperty)p).GetGetter().GetClrValue(entity));
        foreach (var (property, complex) in EncryptedProperties(entityType))
        {
            var value = complex is null
                ? property.GetGetter().GetClrValue(entity)
                : complex.GetGetter().GetClrValue(entity) is { } holder ? property.GetGetter().GetClrValue(holder) : null;
            if (value is string { Length: > 0 } plain && WrittenFor.TryGetValue(plain, out var writtenFor) && writtenFor != rowKey)
            {
                throw new FieldPlaceException(PlaceOf(property, rowKey).Table, property.GetColumnName(), rowKey);
            }
        }
    }
}

/// <summary>One converter per encrypted property: it knows its table and column, not its row (see <see cref="FieldPlaces"/>).</summary>
internal sealed class EncryptedStringConverter(FieldCipher cipher, FieldPlace columnPlace)
    : ValueConverter<string, byte[]>(plain => FieldPlaces.Write(cipher, columnPlace, plain), stored => FieldPlaces.Read(cipher, columnPlace, stored));

/// <summary>
/// Checks, as each entity is read, that its encrypted values were written for its row: EF Core's own materializer
/// builds the entity and the check runs on it before the query hands it out.
/// </summary>
/// <remarks>
/// A materialization interceptor did this before. With any such interceptor EF Core builds, for every entity of every
/// type it reads, a dictionary of a freshly created delegate per property; on a case file view that was a tenth of
/// the portal's CPU, and the steady stream of new delegates kept the runtime recompiling instead of optimising the
/// hot code. The decorated source is EF Core's own (an internal type: EF1001 is suppressed for this one use).
/// </remarks>
#pragma warning disable EF1001 // EF Core's materializer source is internal API; it is decorated, not changed.
internal sealed class FieldPlaceCheckingMaterializerSource(StructuralTypeMaterializerSourceDependencies dependencies)
    : IStructuralTypeMaterializerSource
{
    private static readonly MethodInfo CheckedMethod =
        typeof(FieldPlaceCheckingMaterializerSource).GetMethod(nameof(Checked), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly StructuralTypeMaterializerSource _efCore = new(dependencies);

    public Expression CreateMaterializeExpression(StructuralTypeMaterializerSourceParameters parameters, Expression materializationContextExpression)
    {
        var materialize = _efCore.CreateMaterializeExpression(parameters, materializationContextExpression);
        return parameters.StructuralType is IEntityType entityType && HasEncryptedValues(entityType)
            ? Expression.Call(CheckedMethod.MakeGenericMethod(materialize.Type), Expression.Constant(entityType), materialize)
            : materialize;
    }

    public Func<MaterializationContext, object> GetMaterializer(IEntityType entityType)
    {
        var materializer = _efCore.GetMaterializer(entityType);
        return HasEncryptedValues(entityType) ? context => Checked(entityType, materializer(context)) : materializer;
    }

    public Func<MaterializationContext, object> GetMaterializer(IComplexType complexType) => _efCore.GetMaterializer(complexType);

    public Func<MaterializationContext, object> GetEmptyMaterializer(IEntityType entityType) => _efCore.GetEmptyMaterializer(entityType);

    public Func<MaterializationContext, object> GetEmptyMaterializer(IComplexType complexType) => _efCore.GetEmptyMaterializer(complexType);

    private static bool HasEncryptedValues(IEntityType entityType) => FieldPlaces.RowKeyPropertyName(entityType) is not null;

    private static T Checked<T>(IEntityType entityType, T entity)
    {
        if (entity is not null) FieldPlaces.CheckRead(entityType, entity);
        return entity;
    }
}
#pragma warning restore EF1001

/// <summary>The model holds the cipher in its converters, so each cipher (each host, in tests) gets its own model.</summary>
internal sealed class PortalModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is PortalDbContext portal ? (context.GetType(), portal.Cipher, designTime) : (context.GetType(), designTime);
}
