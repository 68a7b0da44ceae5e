using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Resilience;

/// <summary>
/// The built portal started twice as separate operating-system processes (no shared memory, no shared static state)
/// on one database, as two instances behind a load balancer: one cookie jar, requests alternating between them.
/// </summary>
public sealed class SeveralProcessesTests(SeveralProcessesTests.TwoProcesses portals) : IClassFixture<SeveralProcessesTests.TwoProcesses>
{
    [Fact]
    public async Task A_report_sent_through_one_process_is_read_through_the_other_with_its_reference_and_code()
    {
        // Arrange
        var jar = new CookieContainer();
        using var first = TwoProcesses.BrowserOn(portals.First, jar);
        using var second = TwoProcesses.BrowserOn(portals.Second, jar);

        // Act: every form goes to the other process than the one that made it (antiforgery token, wizard state).
        var page = await first.GetAsync("/report");
        page = await ReportJourney.NextAsync(second, page, ReportJourney.WhatHappened("two processes, one case"));
        second.LastStatus.ShouldBe(HttpStatusCode.OK);
        page = await ReportJourney.NextAsync(first, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(second, page, ReportJourney.Contact());
        var done = await ReportJourney.SendAsync(first, page);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        using var elsewhere = TwoProcesses.BrowserOn(portals.Second, new CookieContainer());
        await ReportJourney.OpenStatusAsync(elsewhere, reference, code);
        var status = await elsewhere.GetAsync("/status/case");

        // Assert
        elsewhere.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/status/case");
        status.QuerySelector("h1")!.TextContent.ShouldContain(reference);
    }

    [Fact]
    public async Task A_staff_member_signed_in_with_two_factor_through_one_process_is_signed_in_on_the_other()
    {
        // Arrange
        var reference = await portals.Setup.OpenCaseAsync("several-processes narrative", assignTo: CompanionWorld.Companion);
        var jar = new CookieContainer();
        using var first = TwoProcesses.BrowserOn(portals.First, jar);
        using var second = TwoProcesses.BrowserOn(portals.Second, jar);
        var account = CompanionWorld.Companion;

        // Act: password and code through the first process, the case file through the second.
        var step = await first.SubmitAsync(await first.GetAsync("/account/login"), [new("Input.Email", account.Email), new("Input.Password", account.Password)]);
        first.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/two-factor");
        await first.SubmitAsync(step, [new("Code", await portals.CurrentCodeAsync(account.Email))]);
        var file = await second.GetAsync(CompanionWorld.FileUrl(reference));
        var token = file.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/account/logout") { Content = new FormUrlEncodedContent([new("__af", token)]) };
        var signedOut = await first.Client.SendAsync(logout);

        // Assert: the second process knew the session; the first accepted the second's form token.
        second.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe(CompanionWorld.FileUrl(reference));
        file.Text().ShouldContain("several-processes narrative");
        ((int)signedOut.StatusCode).ShouldBeInRange(300, 399);
        (await second.GetRawAsync("/cases")).Headers.Location!.OriginalString.ShouldContain("/account/login");
    }

    /// <summary>
    /// A database of its own, seeded with the demo staff (through an in-process host used only for set-up and to read
    /// authenticator keys), and two <c>dotnet OnSeoulSafe.Web.dll</c> processes on free loopback ports.
    /// </summary>
    public sealed class TwoProcesses : IAsyncLifetime
    {
        private readonly List<Process> _processes = [];

        public PortalFactory Setup { get; } = new();

        public Uri First { get; private set; } = null!;

        public Uri Second { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Setup.InitializeAsync();
            await Setup.SeedDemoAsync();
            try
            {
                var starting = new[] { StartAsync(), StartAsync() };
                var addresses = await Task.WhenAll(starting);
                (First, Second) = (addresses[0], addresses[1]);
            }
            catch
            {
                StopAll();
                throw;
            }
        }

        public static PortalBrowser BrowserOn(Uri address, CookieContainer jar) =>
            new(new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = address }, "en");

        /// <summary>The code the staff member's authenticator shows now (the processes run on the real clock).</summary>
        public async Task<string> CurrentCodeAsync(string email)
        {
            await using var scope = Setup.Scope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            var key = await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
            return SingleUseTotp.Code(Base32.Decode(key!), SingleUseTotp.CurrentStep(TimeProvider.System.GetUtcNow()));
        }

        private async Task<Uri> StartAsync()
        {
            var port = FreePort();
            var address = new Uri($"http://127.0.0.1:{port}");
            var dll = PortalDll();
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(address.ToString().TrimEnd('/'));
            foreach (var (key, value) in TestSecrets.Configuration(Setup.ConnectionString))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

            var output = new ConcurrentQueue<string>();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
                "The portal process stopped during start-up:\n" + string.Join('\n', output.TakeLast(30))));
            lock (_processes)
            {
                process.Start();
                _processes.Add(process);
            }
            // Read on threads of their own: a busy test run can starve the thread pool that asynchronous reads need.
            Read(process.StandardOutput, line =>
            {
                output.Enqueue(line);
                if (line.Contains("Now listening on", StringComparison.Ordinal)) listening.TrySetResult();
            });
            Read(process.StandardError, output.Enqueue);
            try
            {
                // Usually a few seconds; the bound only keeps a stuck start from hanging the run.
                await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException("The portal process did not start listening:\n" + string.Join('\n', output.TakeLast(30)));
            }
            return address;
        }

        private static void Read(StreamReader reader, Action<string> onLine) =>
            new Thread(() =>
            {
                while (reader.ReadLine() is { } line) onLine(line);
            })
            { IsBackground = true, Name = "portal process output" }.Start();

        /// <summary>The portal as built next to these tests (same configuration: Release or Debug).</summary>
        internal static string PortalDll()
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var root = output;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OnSeoulSafe.sln"))) root = root.Parent;
            root.ShouldNotBeNull("the solution folder above the test output");
            var dll = Path.Combine(root.FullName, "src", "OnSeoulSafe.Web", "bin", configuration, framework, "OnSeoulSafe.Web.dll");
            File.Exists(dll).ShouldBeTrue($"{dll} is missing: build the solution first (dotnet build OnSeoulSafe.sln -c {configuration})");
            return dll;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private void StopAll()
        {
            lock (_processes)
            {
                foreach (var process in _processes)
                {
                    try
                    {
                        if (!process.HasExited) process.Kill(entireProcessTree: true);
                        process.WaitForExit(10_000);
                    }
                    catch (InvalidOperationException)
                    {
                        // already gone
                    }
                    process.Dispose();
                }
                _processes.Clear();
            }
        }

        public async Task DisposeAsync()
        {
            StopAll();
            await Setup.DisposeAsync();
        }
    }
}
