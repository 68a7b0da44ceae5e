using System.Net;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Resilience;

/// <summary>
/// Two portal hosts (separate service providers, separate memory) on one database, as two instances behind a load
/// balancer: one cookie jar, requests alternating between them.
/// </summary>
public sealed class SeveralInstancesTests(SeveralInstancesTests.TwoPortals portals) : IClassFixture<SeveralInstancesTests.TwoPortals>
{
    [Fact]
    public async Task A_report_started_on_one_instance_is_finished_and_read_on_the_other()
    {
        // Arrange
        var jar = new CookieContainer();
        using var first = TwoPortals.BrowserOn(portals.First, jar);
        using var second = TwoPortals.BrowserOn(portals.Second, jar);

        // Act: every step goes to the other instance than the page it came from (antiforgery token, wizard state).
        var page = await first.GetAsync("/report");
        page = await ReportJourney.NextAsync(second, page, ReportJourney.WhatHappened());
        second.LastStatus.ShouldBe(HttpStatusCode.OK);
        page = await ReportJourney.NextAsync(first, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(second, page, ReportJourney.Contact());
        var done = await ReportJourney.SendAsync(first, page);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        await ReportJourney.OpenStatusAsync(second, reference, code);
        var status = await first.GetAsync("/status/case");

        // Assert: the victim's session made by the second instance is honoured by the first, which reads the case.
        first.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/status/case");
        status.QuerySelector("h1")!.TextContent.ShouldContain(reference);
    }

    [Fact]
    public async Task A_staff_member_signed_in_on_one_instance_is_signed_in_on_the_other()
    {
        // Arrange
        var reference = await portals.First.OpenCaseAsync("several-instances narrative", assignTo: CompanionWorld.Companion);
        var jar = new CookieContainer();
        using var first = TwoPortals.BrowserOn(portals.First, jar);
        using var second = TwoPortals.BrowserOn(portals.Second, jar);

        // Act
        await StaffSignIn.AsAsync(portals.First, first, CompanionWorld.Companion);
        var file = await second.GetAsync(CompanionWorld.FileUrl(reference));
        var token = file.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/account/logout") { Content = new FormUrlEncodedContent([new("__af", token)]) };
        var signedOut = await first.Client.SendAsync(logout);

        // Assert: the second instance knew the session; the first accepted the second's form token.
        second.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe(CompanionWorld.FileUrl(reference));
        file.Text().ShouldContain("several-instances narrative");
        ((int)signedOut.StatusCode).ShouldBeInRange(300, 399);
        (await second.GetRawAsync("/cases")).Headers.Location!.OriginalString.ShouldContain("/account/login");
    }

    [Fact]
    public async Task The_key_ring_is_in_the_database_encrypted_and_both_instances_use_it()
    {
        // Arrange: make sure both instances have started and used their keys.
        using var first = TwoPortals.BrowserOn(portals.First, new CookieContainer());
        using var second = TwoPortals.BrowserOn(portals.Second, new CookieContainer());
        await first.GetAsync("/report");
        await second.GetAsync("/report");

        // Act
        var stored = await portals.First.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().ToListAsync());
        var firstKeys = portals.First.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).ToList();
        var secondKeys = portals.Second.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).ToList();

        // Assert
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(k => k.Xml != null && k.Xml.Contains(FieldCipherXmlEncryptor.ElementName) && !k.Xml.Contains("<masterKey"));
        firstKeys.ShouldNotBeEmpty();
        secondKeys.ShouldBe(firstKeys, ignoreOrder: true);
        stored.Select(k => k.FriendlyName).ShouldBe(firstKeys.Select(id => "key-" + id), ignoreOrder: true);
        // Keys protect with AES-256-GCM (see PortalDataProtection).
        portals.First.Services.GetRequiredService<IKeyManager>().GetAllKeys()
            .ShouldAllBe(k => k.Descriptor.ExportToXml().SerializedDescriptorElement.ToString().Contains("AES_256_GCM"));
        foreach (var portal in new PortalFactory[] { portals.First, portals.Second })
        {
            portal.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository.ShouldBeOfType<EntityFrameworkCoreXmlRepository<PortalDbContext>>();
        }
    }

    /// <summary>The first instance owns a fresh database; the second runs against the same one.</summary>
    public sealed class TwoPortals : IAsyncLifetime
    {
        public PortalFactory First { get; } = new();

        public PortalFactory Second { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await First.InitializeAsync();
            await First.SeedDemoAsync();
            Second = new SameDatabasePortal(First.ConnectionString);
        }

        public static PortalBrowser BrowserOn(PortalFactory portal, CookieContainer jar) =>
            new(portal.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), "en");

        public async Task DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    private sealed class SameDatabasePortal(string connectionString) : PortalFactory
    {
        public override Task InitializeAsync() => Task.CompletedTask;

        protected override IDictionary<string, string?> ExtraConfiguration =>
            new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = connectionString };
    }
}
