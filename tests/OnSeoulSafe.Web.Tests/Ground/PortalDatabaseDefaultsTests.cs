using Npgsql;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>The portal's connection defaults, and a connection string's own choices kept over them.</summary>
public sealed class PortalDatabaseDefaultsTests
{
    [Fact]
    public void A_plain_connection_string_gets_prepared_statements_and_no_reset_on_close()
    {
        // Act
        var portal = new NpgsqlConnectionStringBuilder(PortalDatabase.WithPortalDefaults("Host=127.0.0.1;Database=portal"));

        // Assert
        portal.MaxAutoPrepare.ShouldBe(64);
        portal.NoResetOnClose.ShouldBeTrue();
        portal.Host.ShouldBe("127.0.0.1");
        portal.Database.ShouldBe("portal");
    }

    [Fact]
    public void Options_the_connection_string_sets_itself_are_kept()
    {
        // Act
        var portal = new NpgsqlConnectionStringBuilder(
            PortalDatabase.WithPortalDefaults("Host=127.0.0.1;Database=portal;Max Auto Prepare=0;No Reset On Close=false"));

        // Assert
        portal.MaxAutoPrepare.ShouldBe(0);
        portal.NoResetOnClose.ShouldBeFalse();
    }
}
