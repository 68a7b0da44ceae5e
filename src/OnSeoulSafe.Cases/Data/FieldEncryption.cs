using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>Marks free-text properties that hold victim data; the context encrypts them with <see cref="FieldCipher"/>.</summary>
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

internal sealed class EncryptedStringConverter(FieldCipher cipher)
    : ValueConverter<string, byte[]>(plain => cipher.Encrypt(plain), stored => cipher.Decrypt(stored));

/// <summary>The model holds the cipher in its converters, so each cipher (each host, in tests) gets its own model.</summary>
internal sealed class PortalModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is PortalDbContext portal ? (context.GetType(), portal.Cipher, designTime) : (context.GetType(), designTime);
}
