using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OnSeoulSafe.Cases.Data;

public static class PortalDbContextOptions
{
    /// <summary>The one way the portal, its tools and its tests configure the context.</summary>
    public static DbContextOptionsBuilder UsePortalDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 3))
            .ReplaceService<IModelCacheKeyFactory, PortalModelCacheKeyFactory>();
}
