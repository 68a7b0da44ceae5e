using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// Carries the field cipher in the context's options, so a pooled <see cref="PortalDbContext"/> (built from its
/// options alone) encrypts with the same key ring as one built with the cipher given.
/// </summary>
internal sealed class FieldCipherOptionsExtension(FieldCipher cipher) : IDbContextOptionsExtension
{
    public FieldCipher Cipher { get; } = cipher;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        // Nothing to register: the context reads the cipher from its options.
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        // Registers no services, so contexts with different ciphers share EF Core's internal service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}

public static class FieldCipherOptions
{
    /// <summary>The cipher a pooled <see cref="PortalDbContext"/> takes from its options.</summary>
    public static DbContextOptionsBuilder UseFieldCipher(this DbContextOptionsBuilder options, FieldCipher cipher)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new FieldCipherOptionsExtension(cipher));
        // Every entity read is checked for values written for another row (FieldPlaceCheckingMaterializerSource).
        return options.ReplaceService<IStructuralTypeMaterializerSource, FieldPlaceCheckingMaterializerSource>();
    }
}
