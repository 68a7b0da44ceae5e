using System.Text;
using OnSeoulSafe.Web.Pages.Dashboard;

namespace OnSeoulSafe.Web.Tests.Dashboard;

public sealed class DashboardCsvTests
{
    [Theory]
    [InlineData("=SUM(A1:A9)")]
    [InlineData("+82 10 0000")]
    [InlineData("-1+1")]
    [InlineData("@cmd")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData(";=1+1")]
    [InlineData("|calc")]
    public void Cells_a_spreadsheet_would_run_are_escaped_with_an_apostrophe(string cell)
    {
        var bytes = DashboardCsv.Write(new DashboardCsv.Table("t", ["Platform"], [[cell]]));
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');

        var line = text.Split("\r\n")[1];
        line.TrimStart('"').ShouldStartWith("'");
        line.ShouldContain(cell.TrimStart('\t', '\r').Length > 0 ? cell[1..] : cell);
    }

    [Fact]
    public void A_cell_with_a_semicolon_inside_is_quoted_whole_so_a_semicolon_spreadsheet_keeps_it_one_cell()
    {
        var text = Encoding.UTF8.GetString(DashboardCsv.Write(new DashboardCsv.Table("t", ["Platform"], [["x;=1+1"]]))).TrimStart('\uFEFF');

        text.Split("\r\n")[1].ShouldBe("\"x;=1+1\"");
    }

    [Fact]
    public void Plain_cells_are_written_as_they_are()
    {
        var text = Encoding.UTF8.GetString(DashboardCsv.Write(new DashboardCsv.Table("t", ["Month", "New cases"], [["2026-03", "12"]]))).TrimStart('\uFEFF');

        text.ShouldBe("Month,New cases\r\n2026-03,12\r\n");
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "<5")]
    [InlineData(4, "<5")]
    [InlineData(5, "5")]
    [InlineData(1234, "1234")]
    public void Counts_under_five_are_suppressed(long n, string shown) => DashboardCsv.Count(n).ShouldBe(shown);

    [Fact]
    public void Statistics_over_fewer_than_five_cases_are_left_out() => DashboardCsv.Derived(4, "50.0%").ShouldBe("");
}
