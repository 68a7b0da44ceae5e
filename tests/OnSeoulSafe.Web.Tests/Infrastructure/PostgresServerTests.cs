using Npgsql;

namespace OnSeoulSafe.Web.Tests.Infrastructure;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task SharedAsync_SelectOne_ReturnsOne()
    {
        var server = await PostgresServer.SharedAsync();

        var result = await ScalarAsync(server.AdminConnectionString, "select 1");

        result.ShouldBe(1);
    }

    [Fact]
    public async Task SharedAsync_CalledTwice_ReturnsTheSameServer()
    {
        var first = await PostgresServer.SharedAsync();

        var second = await PostgresServer.SharedAsync();

        second.ShouldBeSameAs(first);
    }

    [Fact]
    public async Task CreateDatabaseAsync_FromTemplate_HoldsTheTemplatesTable()
    {
        var server = await PostgresServer.SharedAsync();
        var template = UniqueName("template");
        var copy = UniqueName("copy");
        await server.CreateDatabaseAsync(template);
        try
        {
            await ExecuteAsync(
                server.ConnectionStringFor(template),
                "create table report (id int primary key); insert into report values (7);");

            await server.CreateDatabaseAsync(copy, template);

            var id = await ScalarAsync(server.ConnectionStringFor(copy), "select id from report");
            id.ShouldBe(7);
        }
        finally
        {
            await server.DropDatabaseAsync(copy);
            await server.DropDatabaseAsync(template);
        }
    }

    [Fact]
    public async Task DropDatabaseAsync_WithOpenConnection_DropsIt()
    {
        var server = await PostgresServer.SharedAsync();
        var name = UniqueName("dropped");
        await server.CreateDatabaseAsync(name);
        await using var open = new NpgsqlConnection(Unpooled(server.ConnectionStringFor(name)));
        await open.OpenAsync();

        await server.DropDatabaseAsync(name);

        var remaining = await ScalarAsync(
            server.AdminConnectionString, $"select count(*)::int from pg_database where datname = '{name}'");
        remaining.ShouldBe(0);
    }

    [Fact]
    public async Task StopImmediateAsync_ThenStartAsync_RefusesThenAnswersAgain()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = Unpooled(server.AdminConnectionString);
        (await ScalarAsync(connectionString, "select 1")).ShouldBe(1);

        await server.StopImmediateAsync();
        await Should.ThrowAsync<NpgsqlException>(() => ScalarAsync(connectionString, "select 1"));

        await server.StartAsync();
        (await ScalarAsync(connectionString, "select 1")).ShouldBe(1);
    }

    [Fact]
    public async Task DisposeAsync_DedicatedServer_RemovesItsDataDirectory()
    {
        var server = await PostgresServer.StartDedicatedAsync();
        Directory.Exists(server.DataDirectory).ShouldBeTrue();

        await server.DisposeAsync();

        Directory.Exists(server.DataDirectory).ShouldBeFalse();
    }

    private static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
