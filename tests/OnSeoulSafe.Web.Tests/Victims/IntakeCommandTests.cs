using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>A report's rows, with its dashboard deltas, reach the database as one command, and read back as written.</summary>
public sealed class IntakeCommandTests(InterceptedPortal<IntakeCommandTests.WriteRecorder> portal) : IClassFixture<InterceptedPortal<IntakeCommandTests.WriteRecorder>>
{
    private static readonly string[] ReportTables =
        ["Victims", "Cases", "Narratives", "ServiceTracks", "TimelineEvents", "Consents", "ContentItems", "ContentItemEvents", "DashboardTallies"];

    [Fact]
    public async Task A_report_is_written_by_one_command_and_reads_back_through_the_case_model()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        portal.Interceptor.Writes.Clear();

        // Act
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert: every table of the report is written, all by the same single command.
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var writes = portal.Interceptor.Writes.ToList();
        writes.Count.ShouldBe(1);
        foreach (var table in ReportTables)
        {
            writes[0].ShouldContain($"INSERT INTO \"{table}\"");
        }
        // One statement: a table's rows go in together (six tracks, one INSERT); each link has a part of its own,
        // since its ledger event reads the key the database draws for it.
        writes[0].ShouldNotContain(";");
        Occurrences(writes[0], "INSERT INTO \"ServiceTracks\"").ShouldBe(1);
        Occurrences(writes[0], "INSERT INTO \"ContentItems\"").ShouldBe(2);
        Occurrences(writes[0], "INSERT INTO \"ContentItemEvents\"").ShouldBe(1);
        // Read back through EF Core: the encrypted values decrypt for their rows, the keys drawn by the database join up.
        var read = await portal.WithDbAsync(async db =>
        {
            var c = await db.Cases.Include(x => x.Victim).Include(x => x.Narrative).Include(x => x.Tracks).Include(x => x.Timeline)
                .Include(x => x.ContentItems).ThenInclude(i => i.History).AsSplitQuery().SingleAsync(x => x.Reference == reference);
            return new
            {
                c.Victim.Nickname,
                c.Narrative.Text,
                c.SafeContact.PhoneNumber,
                HasPhoneLookup = c.ContactPhoneLookup is not null,
                Tracks = c.Tracks.Count,
                Events = c.Timeline.Count,
                Links = c.ContentItems.Count,
                LinkEvents = c.ContentItems.Sum(i => i.History.Count),
            };
        });
        read.Nickname.ShouldBe("Sky");
        read.Text.ShouldBe(ReportJourney.Narrative);
        read.PhoneNumber.ShouldBe("010-1234-5678");
        read.HasPhoneLookup.ShouldBeTrue();
        read.Tracks.ShouldBe(6);
        read.Events.ShouldBeGreaterThanOrEqualTo(2);
        read.Links.ShouldBe(2);
        read.LinkEvents.ShouldBe(2);
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>Records the text of every command that inserts into a table of a report.</summary>
    public sealed class WriteRecorder : CommandWatcher
    {
        public ConcurrentQueue<string> Writes { get; } = new();

        protected override void Seen(DbCommand command)
        {
            if (ReportTables.Any(t => command.CommandText.Contains($"INSERT INTO \"{t}\"", StringComparison.Ordinal))) Writes.Enqueue(command.CommandText);
        }
    }
}
