using System.Data.Common;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Web.Tests.Audit;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>A database fault in the middle of saving a report leaves nothing behind and loses nothing typed.</summary>
public sealed class IntakeFaultTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_failure_mid_save_leaves_no_half_case_and_keeps_every_field()
    {
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        await ArmAsync();

        IHtmlDocument page;
        try
        {
            page = await ReportJourney.SendAsync(browser, review);
        }
        finally
        {
            await DisarmAsync();
        }

        (await FaultsRaisedAsync()).ShouldBe(1);
        page.Text().ShouldContain("We could not save your report just now");
        ((IHtmlInputElement)page.QuerySelector("input[name='Input.Narrative']")!).Value.ShouldBe(ReportJourney.Narrative);
        ((IHtmlInputElement)page.QuerySelector("input[name='Input.Nickname']")!).Value.ShouldBe("Sky");
        var counts = await portal.WithDbAsync(async db => new[]
        {
            await db.Cases.CountAsync(), await db.Victims.CountAsync(), await db.Narratives.CountAsync(),
            await db.ServiceTracks.CountAsync(), await db.Consents.CountAsync(), await db.TimelineEvents.CountAsync(),
            await db.ContentItems.CountAsync(),
        });
        counts.ShouldAllBe(c => c == 0);

        // The victim presses send again once the fault is gone: exactly one complete case.
        var done = await ReportJourney.SendAsync(browser, page);
        done.QuerySelector("#case-reference").ShouldNotBeNull();
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(1);
        (await portal.WithDbAsync(db => db.ContentItems.CountAsync())).ShouldBe(2);
    }

    /// <summary>
    /// Makes the database itself fail the report's write once a content item's row is in: a trigger raises after
    /// the insert, in the middle of the statement that writes the case, with other rows of the report already written.
    /// The sequence counts the faults raised; it is not rolled back with the failed write.
    /// </summary>
    private Task ArmAsync() => portal.AsOwnerAsync("""
        CREATE SEQUENCE intake_faults_raised;
        CREATE FUNCTION intake_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM nextval('intake_faults_raised');
            RAISE EXCEPTION 'injected fault after a content item was written';
        END $$;
        CREATE TRIGGER intake_fault AFTER INSERT ON "ContentItems" FOR EACH ROW EXECUTE FUNCTION intake_fault();
        """);

    private Task DisarmAsync() => portal.AsOwnerAsync("""
        DROP TRIGGER intake_fault ON "ContentItems";
        DROP FUNCTION intake_fault();
        """);

    private async Task<long> FaultsRaisedAsync()
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM intake_faults_raised", connection);
        var raised = (long)(await command.ExecuteScalarAsync())!;
        await using var drop = new NpgsqlCommand("DROP SEQUENCE intake_faults_raised", connection);
        await drop.ExecuteNonQueryAsync();
        return raised;
    }
}

/// <summary>A transient database fault (a dropped connection) during the save is retried by EF Core's execution strategy.</summary>
public sealed class TransientIntakeFaultTests(InterceptedPortal<TransientIntakeFaultTests.TransientContentItemFault> portal) : IClassFixture<InterceptedPortal<TransientIntakeFaultTests.TransientContentItemFault>>
{
    [Fact]
    public async Task A_transient_failure_mid_save_is_retried_and_exactly_one_complete_case_results()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        portal.Interceptor.FailuresLeft = 1;

        // Act
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert: the victim saw no error; the save ran twice, the first attempt left nothing behind.
        done.QuerySelector("#case-reference").ShouldNotBeNull();
        portal.Interceptor.Attempts.ShouldBe(2);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var counts = await portal.WithDbAsync(async db => new
        {
            Cases = await db.Cases.CountAsync(),
            WithReference = await db.Cases.CountAsync(c => c.Reference == reference),
            Victims = await db.Victims.CountAsync(),
            Narratives = await db.Narratives.CountAsync(),
            Items = await db.ContentItems.CountAsync(),
        });
        counts.ShouldBe(new { Cases = 1, WithReference = 1, Victims = 1, Narratives = 1, Items = 2 });
    }

    /// <summary>Fails the content-item insert like a dropped connection would (a transient NpgsqlException), a set number of times.</summary>
    public sealed class TransientContentItemFault : CommandWatcher
    {
        private int _failuresLeft;
        private int _attempts;

        public int FailuresLeft { get => Volatile.Read(ref _failuresLeft); set => Volatile.Write(ref _failuresLeft, value); }

        public int Attempts => Volatile.Read(ref _attempts);

        protected override void Seen(DbCommand command)
        {
            if (!command.CommandText.Contains("INSERT INTO \"ContentItems\"", StringComparison.Ordinal)) return;
            Interlocked.Increment(ref _attempts);
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                var fault = new Npgsql.NpgsqlException("Injected: the connection dropped.", new IOException("Connection reset by peer"));
                fault.IsTransient.ShouldBeTrue();
                throw fault;
            }
        }
    }
}
