using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;

namespace OnSeoulSafe.Web.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL for integration tests, from one of three sources chosen in <see cref="ChooseAsync"/>:
/// <c>ONSEOULSAFE_TEST_PG</c> (an existing server's admin connection string), else a Testcontainers.PostgreSql
/// container when a Docker engine answers (<c>DOCKER_HOST</c>, else <c>/var/run/docker.sock</c>), else a cluster from
/// the server binaries: initdb + pg_ctl on a free loopback port with its data directory in a temp folder, removed when
/// the test process ends. <see cref="Source"/> names the choice; <c>./build.sh test</c> prints it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ExternalServerVariable = "ONSEOULSAFE_TEST_PG";

    private const string Superuser = "postgres";
    private const string Loopback = "127.0.0.1";
    private const int StartAttempts = 3;

    private const string BinariesMissingMessage =
        "PostgreSQL server binaries not found: install the 'postgresql' package (apt-get install -y postgresql) " +
        "or set ONSEOULSAFE_TEST_PG to an existing server's admin connection string";

    private static readonly Lazy<Task<PostgresServer>> Shared =
        new(CreateSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly Binaries? _binaries;
    private readonly bool _isShared;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Process? _watchdog;
    private bool _running;
    private bool _disposed;

    /// <summary>The image the container source runs: the major version the server binaries and docker-compose use.</summary>
    public const string ContainerImage = "postgres:15";

    private PostgresServer(
        NpgsqlConnectionStringBuilder admin, Binaries? binaries, string dataDirectory, bool isShared, Process? watchdog)
    {
        _admin = admin;
        _binaries = binaries;
        _isShared = isShared;
        _watchdog = watchdog;
        DataDirectory = dataDirectory;
    }

    /// <summary>Connection string for the <c>postgres</c> superuser on the <c>postgres</c> database (no pooling).</summary>
    public string AdminConnectionString => _admin.ConnectionString;

    /// <summary>The cluster's data directory; empty when an external server (<c>ONSEOULSAFE_TEST_PG</c>) is used.</summary>
    public string DataDirectory { get; }

    public int Port => _admin.Port;

    /// <summary>Where the shared server came from, in a sentence for the test output.</summary>
    public string Source { get; private set; } = "";

    /// <summary>True when this process started the cluster (and will stop and delete it).</summary>
    public bool OwnsCluster => _binaries is not null;

    /// <summary>
    /// The process-wide server, started on first use. Its lifetime is the test process: disposing it is a no-op,
    /// the cluster is stopped and its data directory deleted when the process exits.
    /// </summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// A separate cluster for tests that stop and start the server (fault injection). Always a local
    /// cluster, even when <c>ONSEOULSAFE_TEST_PG</c> is set. The caller disposes it.
    /// </summary>
    public static Task<PostgresServer> StartDedicatedAsync(CancellationToken cancellationToken = default) =>
        InitAndStartLocalAsync(isShared: false, cancellationToken);

    /// <summary>Connection string for <paramref name="database"/> as the superuser, with Npgsql pooling on.</summary>
    public string ConnectionStringFor(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(_admin.ConnectionString)
        {
            Database = database,
            Pooling = true,
        };
        return builder.ConnectionString;
    }

    /// <summary>
    /// Creates <paramref name="name"/>, optionally as a copy of <paramref name="template"/>. PostgreSQL refuses to
    /// copy a database that has open connections, so this process's idle pooled connections to the template are
    /// closed first; connections held elsewhere must be closed by their owner. From PostgreSQL 15 on the copy is made
    /// file by file (<c>STRATEGY FILE_COPY</c>), which writes no WAL for the copied pages; on the tests' cluster without
    /// fsync it measured about as fast as the default copy through the write-ahead log (figures in the README).
    /// </summary>
    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var sql = $"CREATE DATABASE {QuoteIdentifier(name)}";
        if (template is not null)
        {
            ClearPoolFor(template);
            sql += $" TEMPLATE {QuoteIdentifier(template)}";
            if (await ServerVersionAsync(cancellationToken) >= 150000)
            {
                sql += " STRATEGY FILE_COPY";
            }
        }

        await ExecuteAdminAsync(sql, cancellationToken);
    }

    private int _serverVersion;

    private async Task<int> ServerVersionAsync(CancellationToken cancellationToken)
    {
        if (_serverVersion == 0)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", connection);
            _serverVersion = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return _serverVersion;
    }

    /// <summary>Drops <paramref name="name"/> if it exists, terminating any connections to it.</summary>
    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ClearPoolFor(name);
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)", cancellationToken);
    }

    /// <summary>Kills the server without a clean shutdown (<c>pg_ctl stop -m immediate</c>), as a crash would.</summary>
    public async Task StopImmediateAsync(CancellationToken cancellationToken = default)
    {
        var binaries = RequireOwnedCluster();
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await StopAsync(binaries, "immediate", cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts the server again on the same port and data directory; waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var binaries = RequireOwnedCluster();
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_running)
            {
                return;
            }

            var (exitCode, output) = await StartProcessAsync(binaries, DataDirectory, Port, cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException(
                    $"pg_ctl start failed (exit code {exitCode}):{Environment.NewLine}{output}{ServerLogTail(DataDirectory)}");
            }

            _running = true;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_isShared || _binaries is null || _disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await _lifecycle.WaitAsync();
        try
        {
            await StopAsync(_binaries, "fast", CancellationToken.None);
        }
        finally
        {
            _lifecycle.Release();
            DeleteDataDirectory();
            ReleaseWatchdog(_watchdog);
        }

        _lifecycle.Dispose();
    }

    public enum SourceKind
    {
        External,
        Container,
        Binaries,
    }

    public sealed record SourceChoice(SourceKind Kind, string Description);

    /// <summary>
    /// The one place the tests' PostgreSQL source is chosen: an external server when one is named, a container when a
    /// Docker engine answers its ping, the server binaries otherwise.
    /// </summary>
    public static async Task<SourceChoice> ChooseAsync(string? externalServer, string? dockerHost, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(externalServer))
        {
            return new(SourceKind.External, $"the server in {ExternalServerVariable}");
        }

        var engine = string.IsNullOrWhiteSpace(dockerHost) ? DefaultDockerSocket : dockerHost;
        if (await DockerAnswersAsync(engine, cancellationToken))
        {
            return new(SourceKind.Container, $"a Testcontainers.PostgreSql container ({ContainerImage}) on the Docker engine at {engine}");
        }

        var binaries = Binaries.Find();
        return new(
            SourceKind.Binaries,
            binaries is null
                ? $"the server binaries, which are missing (and no Docker engine answered at {engine})"
                : $"a throwaway cluster from the server binaries in {Path.GetDirectoryName(binaries.PgCtl)} (no Docker engine answered at {engine})");
    }

    private const string DefaultDockerSocket = "unix:///var/run/docker.sock";

    /// <summary>Whether a Docker engine answers <c>GET /_ping</c> at <paramref name="engine"/> (unix:// or tcp://) within two seconds.</summary>
    public static async Task<bool> DockerAnswersAsync(string engine, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(engine, UriKind.Absolute, out var uri))
        {
            return false;
        }

        using var handler = new SocketsHttpHandler();
        Uri address;
        if (uri.Scheme == "unix")
        {
            var socketPath = uri.AbsolutePath;
            if (!File.Exists(socketPath))
            {
                return false;
            }

            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            address = new Uri("http://docker/");
        }
        else if (uri.Scheme is "tcp" or "http")
        {
            address = new UriBuilder("http", uri.Host, uri.Port).Uri;
        }
        else
        {
            return false;
        }

        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri("_ping", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<PostgresServer> CreateSharedAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        var choice = await ChooseAsync(external, Environment.GetEnvironmentVariable("DOCKER_HOST"));
        var server = choice.Kind switch
        {
            SourceKind.External => await ExternalAsync(external!),
            SourceKind.Container => await StartContainerAsync(),
            _ => await InitAndStartLocalAsync(isShared: true, CancellationToken.None),
        };
        server.Source = choice.Description;
        return server;
    }

    private static async Task<PostgresServer> ExternalAsync(string external)
    {
        // Unpooled like our own admin connection: CREATE DATABASE ... TEMPLATE needs idle connections gone.
        var admin = new NpgsqlConnectionStringBuilder(external) { Pooling = false };
        var server = new PostgresServer(admin, binaries: null, dataDirectory: string.Empty, isShared: true, watchdog: null);
        await server.ExecuteAdminAsync("SELECT 1", CancellationToken.None);
        return server;
    }

    /// <summary>
    /// The container runs with the same settings as the local cluster; Testcontainers' reaper removes it when the test
    /// process ends, however it ends.
    /// </summary>
    private static async Task<PostgresServer> StartContainerAsync()
    {
        var container = new PostgreSqlBuilder(ContainerImage)
            .WithUsername(Superuser)
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=128MB")
            .Build();
        await container.StartAsync();
        var admin = new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres", Pooling = false };
        return new PostgresServer(admin, binaries: null, dataDirectory: string.Empty, isShared: true, watchdog: null);
    }

    private static async Task<PostgresServer> InitAndStartLocalAsync(bool isShared, CancellationToken cancellationToken)
    {
        var binaries = Binaries.Find() ?? throw new InvalidOperationException(BinariesMissingMessage);
        var dataDirectory = await CreateDataDirectoryAsync(binaries, cancellationToken);
        var watchdog = StartWatchdog(binaries, dataDirectory);
        try
        {
            await InitDbAsync(binaries, dataDirectory, cancellationToken);

            // The port is free when we probe it but can be taken before the server binds it; try a few.
            for (var attempt = 1; ; attempt++)
            {
                var port = FindFreeLoopbackPort();
                File.Delete(LogPath(dataDirectory));
                var (exitCode, output) = await StartProcessAsync(binaries, dataDirectory, port, cancellationToken);
                if (exitCode == 0)
                {
                    var admin = new NpgsqlConnectionStringBuilder
                    {
                        Host = Loopback,
                        Port = port,
                        Username = Superuser,
                        Database = "postgres",
                        Pooling = false,
                    };
                    var server = new PostgresServer(admin, binaries, dataDirectory, isShared, watchdog) { _running = true };
                    AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
                    return server;
                }

                var log = ServerLogTail(dataDirectory);
                if (attempt >= StartAttempts || !log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"pg_ctl start failed (exit code {exitCode}):{Environment.NewLine}{output}{log}");
                }
            }
        }
        catch
        {
            TryDelete(dataDirectory);
            ReleaseWatchdog(watchdog);
            throw;
        }
    }

    /// <summary>
    /// Starts a small shell that stops the cluster and deletes its data directory once this process is gone.
    /// ProcessExit alone is not enough: <c>dotnet test</c> kills the test host about 100 ms after the last test,
    /// usually before <c>pg_ctl stop</c> returns, and a crashed or killed run never raises it.
    /// The shell waits for end-of-file on its standard input, a pipe only this process holds open
    /// (.NET creates it close-on-exec, so the server does not inherit it).
    /// </summary>
    private static Process StartWatchdog(Binaries binaries, string dataDirectory)
    {
        var stop = binaries.CommandLine(binaries.PgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "stop"]);
        var script = $"exec >/dev/null 2>&1; cat; {stop}; rm -rf -- {ShellQuote(dataDirectory)}";
        var setsid = Binaries.FindOnPath("setsid");
        var startInfo = new ProcessStartInfo
        {
            // Its own session, so Ctrl+C in the terminal does not end it before it has cleaned up.
            FileName = setsid ?? "/bin/sh",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (setsid is not null)
        {
            startInfo.ArgumentList.Add("/bin/sh");
        }

        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);

        return Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the cleanup watchdog.");
    }

    /// <summary>Closing the watchdog's input lets it finish; by then there is nothing left for it to clean.</summary>
    private static void ReleaseWatchdog(Process? watchdog)
    {
        if (watchdog is null)
        {
            return;
        }

        watchdog.StandardInput.Close();
        watchdog.Dispose();
    }

    private static async Task InitDbAsync(Binaries binaries, string dataDirectory, CancellationToken cancellationToken)
    {
        string[] common = ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync"];
        var (exitCode, output) = await binaries.RunAsync(
            binaries.InitDb, [.. common, "--locale=C.UTF-8"], cancellationToken);
        if (exitCode == 0)
        {
            return;
        }

        // Systems without a C.UTF-8 locale: the C locale with UTF-8 encoding is just as good for tests.
        EmptyDirectory(dataDirectory);
        var (fallbackExitCode, fallbackOutput) = await binaries.RunAsync(
            binaries.InitDb, [.. common, "--no-locale"], cancellationToken);
        if (fallbackExitCode != 0)
        {
            throw new InvalidOperationException(
                $"initdb failed (exit code {fallbackExitCode}):{Environment.NewLine}{fallbackOutput}" +
                $"{Environment.NewLine}(first attempt with --locale=C.UTF-8:){Environment.NewLine}{output}");
        }
    }

    private static Task<(int ExitCode, string Output)> StartProcessAsync(
        Binaries binaries, string dataDirectory, int port, CancellationToken cancellationToken)
    {
        // Sockets go into the data directory so clusters never share /var/run/postgresql.
        var serverOptions = string.Join(
            ' ',
            "-h", Loopback,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-k", ShellQuote(dataDirectory),
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=300",
            "-c shared_buffers=128MB");

        // -l keeps the server's output out of our pipes (otherwise reading pg_ctl's output never ends).
        return binaries.RunAsync(
            binaries.PgCtl,
            ["-D", dataDirectory, "-l", LogPath(dataDirectory), "-o", serverOptions, "-w", "-t", "120", "start"],
            cancellationToken);
    }

    private async Task StopAsync(Binaries binaries, string mode, CancellationToken cancellationToken)
    {
        if (!_running)
        {
            return;
        }

        var (exitCode, output) = await binaries.RunAsync(
            binaries.PgCtl, ["-D", DataDirectory, "-m", mode, "-w", "stop"], cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop -m {mode} failed (exit code {exitCode}):{Environment.NewLine}{output}");
        }

        _running = false;
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            if (_running && _binaries is not null)
            {
                _binaries.RunAsync(_binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None)
                    .GetAwaiter().GetResult();
                _running = false;
            }
        }
        finally
        {
            DeleteDataDirectory();
        }
    }

    private Binaries RequireOwnedCluster() =>
        _binaries ?? throw new InvalidOperationException(
            $"This server was not started by the tests ({ExternalServerVariable} is set); use StartDedicatedAsync.");

    private async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void ClearPoolFor(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        NpgsqlConnection.ClearPool(connection);
    }

    private void DeleteDataDirectory()
    {
        if (_binaries is not null)
        {
            TryDelete(DataDirectory);
        }
    }

    private static async Task<string> CreateDataDirectoryAsync(Binaries binaries, CancellationToken cancellationToken)
    {
        var parent = Path.GetTempPath();
        if (binaries.RunAsUser is not null && !IsTraversableByOthers(parent))
        {
            // The postgres user must reach the data directory; /tmp always lets it.
            parent = "/tmp";
        }

        var path = Path.Combine(parent, "onseoulsafe-test-pg-" + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // initdb insists on a data directory only its owner can enter.
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (binaries.RunAsUser is not null)
        {
            var (exitCode, output) = await Binaries.Run("chown", [$"{binaries.RunAsUser}:", path], asUser: null, cancellationToken);
            if (exitCode != 0)
            {
                TryDelete(path);
                throw new InvalidOperationException($"chown failed (exit code {exitCode}):{Environment.NewLine}{output}");
            }
        }

        return path;
    }

    private static bool IsTraversableByOthers(string path)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(path)); directory is not null; directory = directory.Parent)
        {
            if (!directory.Exists || (directory.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int FindFreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string LogPath(string dataDirectory) => Path.Combine(dataDirectory, "server.log");

    private static string ServerLogTail(string dataDirectory)
    {
        try
        {
            var lines = File.ReadAllLines(LogPath(dataDirectory));
            return $"{Environment.NewLine}server log:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(30))}";
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static void EmptyDirectory(string path)
    {
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort at shutdown: a leftover folder in the temp directory must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Where initdb and pg_ctl live, and whom to run them as (PostgreSQL refuses to run as root).</summary>
    private sealed record Binaries(string InitDb, string PgCtl, string? RunAsUser)
    {
        public static Binaries? Find()
        {
            var directory = FindBinDirectory();
            if (directory is null)
            {
                return null;
            }

            var runAs = Environment.IsPrivilegedProcess || Environment.UserName == "root" ? Superuser : null;
            return new Binaries(Path.Combine(directory, "initdb"), Path.Combine(directory, "pg_ctl"), runAs);
        }

        public Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            Run(tool, arguments, RunAsUser, cancellationToken);

        /// <summary>The same command as <see cref="RunAsync"/> runs, as one line for a shell.</summary>
        public string CommandLine(string tool, IReadOnlyList<string> arguments)
        {
            var (fileName, fileArguments) = Wrap(tool, arguments, RunAsUser);
            return string.Join(' ', new[] { fileName }.Concat(fileArguments).Select(ShellQuote));
        }

        public static async Task<(int ExitCode, string Output)> Run(
            string tool, IReadOnlyList<string> arguments, string? asUser, CancellationToken cancellationToken)
        {
            var startInfo = new ProcessStartInfo
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                // The postgres user may not be able to enter the current directory (e.g. /root).
                WorkingDirectory = "/",
            };

            var (fileName, fileArguments) = Wrap(tool, arguments, asUser);
            startInfo.FileName = fileName;
            foreach (var argument in fileArguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            output.Append(await stdout).Append(await stderr);
            return (process.ExitCode, $"$ {Path.GetFileName(tool)} {string.Join(' ', arguments)}{Environment.NewLine}{output}");
        }

        private static (string FileName, IReadOnlyList<string> Arguments) Wrap(
            string tool, IReadOnlyList<string> arguments, string? asUser)
        {
            if (asUser is null)
            {
                return (tool, arguments);
            }

            if (FindOnPath("runuser", "/usr/sbin", "/sbin") is { } runuser)
            {
                return (runuser, ["-u", asUser, "--", tool, .. arguments]);
            }

            var command = string.Join(' ', new[] { tool }.Concat(arguments).Select(ShellQuote));
            return ("su", [asUser, "-s", "/bin/sh", "-c", command]);
        }

        private static string? FindBinDirectory()
        {
            if (FindOnPath("pg_ctl") is { } pgCtl)
            {
                var directory = Path.GetDirectoryName(ResolveLinks(pgCtl))!;
                if (File.Exists(Path.Combine(directory, "initdb")))
                {
                    return directory;
                }
            }

            // Debian installs the server binaries off PATH, one folder per major version.
            const string debianRoot = "/usr/lib/postgresql";
            if (!Directory.Exists(debianRoot))
            {
                return null;
            }

            return Directory.EnumerateDirectories(debianRoot)
                .Select(version => (Version: int.TryParse(Path.GetFileName(version), out var major) ? major : -1, Bin: Path.Combine(version, "bin")))
                .Where(candidate => File.Exists(Path.Combine(candidate.Bin, "initdb")) && File.Exists(Path.Combine(candidate.Bin, "pg_ctl")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
        }

        private static string ResolveLinks(string path) =>
            new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

        public static string? FindOnPath(string name, params string[] extraDirectories)
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Concat(extraDirectories)
                .Select(directory => Path.Combine(directory, name))
                .FirstOrDefault(File.Exists);
        }
    }
}
