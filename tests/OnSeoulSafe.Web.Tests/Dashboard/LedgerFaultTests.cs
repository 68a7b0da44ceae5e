using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>The dashboard's deltas are written in the same transaction as the report they count.</summary>
public sealed class LedgerFaultTests(InterceptedPortal<LedgerFaultTests.TallyInsertFault> portal) : IClassFixture<InterceptedPortal<LedgerFaultTests.TallyInsertFault>>
{
    [Fact]
    public async Task A_failure_writing_the_counters_leaves_no_case_and_the_next_send_counts_exactly_once()
    {
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        portal.Interceptor.Armed = true;

        var page = await ReportJourney.SendAsync(browser, review);

        portal.Interceptor.Tripped.ShouldBeTrue();
        page.Text().ShouldContain("We could not save your report just now");
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(0);

        portal.Interceptor.Armed = false;
        var done = await ReportJourney.SendAsync(browser, page);
        done.QuerySelector("#case-reference").ShouldNotBeNull();
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(1);
        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
    }

    /// <summary>Fails the INSERT of the dashboard's deltas: the last statement of an intake before its commit.</summary>
    public sealed class TallyInsertFault : DbCommandInterceptor
    {
        public bool Armed { get; set; }
        public bool Tripped { get; private set; }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && command.CommandText.Contains("INSERT INTO \"DashboardTallies\"", StringComparison.Ordinal))
            {
                Tripped = true;
                throw new InvalidOperationException("Injected fault while writing the dashboard's deltas.");
            }
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
