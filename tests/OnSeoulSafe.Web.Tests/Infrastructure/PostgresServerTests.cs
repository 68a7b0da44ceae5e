using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Xunit.Abstractions;

namespace OnSeoulSafe.Web.Tests.Infrastructure;

public sealed class PostgresServerTests(ITestOutputHelper output)
{
    /// <summary>Also how the test output names the source: ./build.sh test prints this line from the results.</summary>
    [Fact]
    public async Task SharedAsync_NamesWhereItsServerComesFrom()
    {
        var server = await PostgresServer.SharedAsync();

        output.WriteLine($"PostgreSQL for the tests: {server.Source}");

        server.Source.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task ChooseAsync_NamedServer_IsTheExternalOne()
    {
        var choice = await PostgresServer.ChooseAsync("Host=127.0.0.1;Username=postgres", dockerHost: null);

        choice.Kind.ShouldBe(PostgresServer.SourceKind.External);
    }

    [Fact]
    public async Task ChooseAsync_DockerHostPointingNowhere_IsTheServerBinaries()
    {
        var nowhere = $"tcp://127.0.0.1:{ClosedLoopbackPort()}";

        var choice = await PostgresServer.ChooseAsync(externalServer: null, nowhere);

        choice.Kind.ShouldBe(PostgresServer.SourceKind.Binaries);
        choice.Description.ShouldContain(nowhere);
    }

    [Fact]
    public async Task ChooseAsync_MissingDockerSocket_IsTheServerBinaries()
    {
        var choice = await PostgresServer.ChooseAsync(externalServer: null, $"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");

        choice.Kind.ShouldBe(PostgresServer.SourceKind.Binaries);
    }

    [Fact]
    public async Task ChooseAsync_EngineAnsweringItsPing_IsTheContainer()
    {
        // Arrange: a stand-in for the Docker engine on loopback, answering GET /_ping as the engine does.
        using var engine = new TcpListener(IPAddress.Loopback, 0);
        engine.Start();
        var port = ((IPEndPoint)engine.LocalEndpoint).Port;
        var answered = AnswerPingAsync(engine);

        // Act
        var choice = await PostgresServer.ChooseAsync(externalServer: null, $"tcp://127.0.0.1:{port}");

        // Assert
        (await answered).ShouldStartWith("GET /_ping ");
        choice.Kind.ShouldBe(PostgresServer.SourceKind.Container);
        choice.Description.ShouldContain(PostgresServer.ContainerImage);
    }

    private static async Task<string> AnswerPingAsync(TcpListener engine)
    {
        using var client = await engine.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[1024];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"));
        return request.ToString();
    }

    private static int ClosedLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

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
