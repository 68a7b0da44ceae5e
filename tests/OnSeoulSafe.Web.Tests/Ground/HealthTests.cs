using System.Net;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_200_when_the_database_is_up()
    {
        await using var portal = new PortalFactory();
        await portal.InitializeAsync();
        using var client = portal.CreateClient();

        var response = await client.GetAsync("/health");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_goes_red_when_the_database_stops_and_green_when_it_returns()
    {
        // Arrange: a cluster of its own, so stopping it disturbs no other test.
        await using var server = await PostgresServer.StartDedicatedAsync();
        await server.CreateDatabaseAsync("oss_health");
        var connectionString = server.ConnectionStringFor("oss_health");
        await using (var db = PortalDatabaseTemplate.NewContext(connectionString, TestSecrets.Cipher))
        {
            await db.Database.MigrateAsync();
        }
        await using var portal = new FixedDatabasePortal(connectionString);
        using var client = portal.CreateClient();
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act + Assert: down; the process itself is still live.
        await server.StopImmediateAsync();
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act + Assert: back, and the portal recovers by itself (bounded wait for the condition, no sleeps).
        await server.StartAsync();
        var recovered = false;
        for (var attempt = 0; attempt < 20 && !recovered; attempt++)
        {
            recovered = (await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
        }
        recovered.ShouldBeTrue();
    }

    private sealed class FixedDatabasePortal(string connectionString) : PortalFactory
    {
        public override Task InitializeAsync() => Task.CompletedTask;

        protected override IDictionary<string, string?> ExtraConfiguration =>
            new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = connectionString };
    }
}
