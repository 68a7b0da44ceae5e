using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Data;

/// <summary>
/// How <c>dotnet ef</c> builds the context (<c>./build.sh migration NAME</c>, <c>has-pending-model-changes</c>): with a
/// throwaway field key, since the model only needs to know which columns are encrypted, never the portal's key. The
/// connection string is never opened by those commands; <c>dotnet ef database update</c> takes
/// <c>ConnectionStrings__PortalOwner</c> when it is set.
/// </summary>
public sealed class DesignTimePortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    private const string Placeholder = "Host=127.0.0.1;Database=onseoulsafe_design_time";

    public PortalDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__PortalOwner") is { Length: > 0 } owner ? owner : Placeholder;
        var cipher = new FieldCipher(new Dictionary<int, byte[]> { [1] = RandomNumberGenerator.GetBytes(32) }, 1);
        var options = new DbContextOptionsBuilder<PortalDbContext>().UsePortalDatabase(connectionString).UseFieldCipher(cipher).Options;
        return new PortalDbContext((DbContextOptions<PortalDbContext>)options);
    }
}
