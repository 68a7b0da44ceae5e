using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Notices;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Dashboard;

[SharedRateLimit(PortalRateLimits.Export)]
public sealed class IndexModel(
    DashboardQueries queries,
    MonitoringDashboard monitoring,
    EscalationLadder ladder,
    PortalDbContext db,
    UserManager<StaffMember> users,
    TimeProvider clock,
    IOptions<DashboardOptions> options,
    IStringLocalizer<DashboardText> text) : PageModel
{
    /// <summary>Filters come in the query string (GET form), so a filtered view can be bookmarked and exported.</summary>
    public sealed record Input
    {
        public string? From { get; init; }
        public string? To { get; init; }
        public Guid? Companion { get; init; }
        public CrimeType? Crime { get; init; }

        /// <summary>"yes", "no" or empty for both.</summary>
        public string? Minor { get; init; }
    }

    public sealed class Validator : AbstractValidator<Input>
    {
        public Validator(IStringLocalizer<DashboardText> text)
        {
            RuleFor(i => i.From).Must(BeAMonth).WithMessage(text["Enter a month like 2026-03."]);
            RuleFor(i => i.To).Must(BeAMonth).WithMessage(text["Enter a month like 2026-03."]);
            RuleFor(i => i.To).Must((input, to) => ParseMonth(input.From) is not { } from || ParseMonth(to) is not { } until || from <= until)
                .WithMessage(text["The end month must not be before the start month."]);
            RuleFor(i => i.Minor).Must(m => string.IsNullOrEmpty(m) || m is "yes" or "no").WithMessage(text["Choose minors, adults or both."]);
        }

        private static bool BeAMonth(string? value) => string.IsNullOrEmpty(value) || ParseMonth(value) is not null;
    }

    [BindProperty(SupportsGet = true, Name = "")]
    public Input Filter { get; set; } = new();

    public DashboardFigures Figures { get; private set; } = null!;

    /// <summary>Found by monitoring against reported by people, per platform found-to-request-to-gone, reappearances.</summary>
    public MonitoringFigures Monitoring { get; private set; } = null!;
    /// <summary>Open links on the escalation ladder now, per platform and step, with those past their deadline.</summary>
    public IReadOnlyList<LadderCount> Ladder { get; private set; } = [];

    /// <summary>The ladder's links per step, every platform together.</summary>
    public IEnumerable<(EscalationStep Step, int Items, int Overdue)> LadderSteps => Ladder.GroupBy(c => c.Step).OrderBy(g => g.Key)
        .Select(g => (g.Key, g.Sum(c => c.Items), g.Sum(c => c.Overdue)));

    /// <summary>The ladder's links per platform, most overdue first.</summary>
    public IEnumerable<(int? PlatformId, string? Platform, int Items, int Overdue)> LadderPlatforms => Ladder.GroupBy(c => (c.PlatformId, c.Platform))
        .Select(g => (g.Key.PlatformId, g.Key.Platform, g.Sum(c => c.Items), g.Sum(c => c.Overdue)))
        .OrderByDescending(p => p.Item4).ThenBy(p => p.Platform, StringComparer.Ordinal);

    public static string StepLabel(EscalationStep step) => step switch
    {
        EscalationStep.FirstNotice => "First notice",
        EscalationStep.SecondNotice => "Second notice",
        EscalationStep.RegulatorReport => "Report to the regulator being prepared",
        EscalationStep.RegulatorReported => "Reported to the regulator",
        _ => "Investigation support",
    };

    public DashboardTargets Targets => options.Value.Targets;
    public IReadOnlyList<(Guid Id, string Name)> Companions { get; private set; } = [];

    public static readonly IReadOnlyList<string> Tables =
        ["open-status", "open-priority", "tracks", "queue", "caseload", "first-contact", "deletion", "monitoring-found-by", "monitoring-platforms", "trends"];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return Page();
        return Page();
    }

    /// <summary>One table as CSV (aggregates only), logged in the access log in the same step.</summary>
    public async Task<IActionResult> OnGetExportAsync(string table, CancellationToken cancellationToken)
    {
        if (!Tables.Contains(table)) return BadRequest();
        if (!await LoadAsync(cancellationToken)) return Page();
        var csv = DashboardCsv.Write(Export(table));
        var staffId = Guid.TryParse(users.GetUserId(User), out var id) ? id : (Guid?)null;
        db.AccessLog.Add(new AccessLogEntry(clock.GetUtcNow(), staffId, StaffRoles.Manager, caseId: null, AccessAction.Export, $"Dashboard:{table}", reason: null));
        await db.SaveChangesAsync(cancellationToken);
        return File(csv, "text/csv; charset=utf-8", $"dashboard-{table}-{DashboardFacts.MonthOf(clock.GetUtcNow()):yyyy-MM}.csv");
    }

    public DashboardFilter ToFilter() => new(ParseMonth(Filter.From), ParseMonth(Filter.To), Filter.Companion, Filter.Crime,
        Filter.Minor switch { "yes" => true, "no" => false, _ => null });

    /// <summary>The current filters as route values, for export links.</summary>
    public Dictionary<string, string> FilterRoute()
    {
        var route = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(Filter.From)) route["From"] = Filter.From;
        if (!string.IsNullOrEmpty(Filter.To)) route["To"] = Filter.To;
        if (Filter.Companion is { } c) route["Companion"] = c.ToString();
        if (Filter.Crime is { } t) route["Crime"] = t.ToString();
        if (!string.IsNullOrEmpty(Filter.Minor)) route["Minor"] = Filter.Minor;
        return route;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await new Validator(text).ValidateAsync(Filter, cancellationToken);
        var filter = result.IsValid ? ToFilter() : DashboardFilter.None;
        if (!result.IsValid) ModelState.AddErrors(result, "");
        Figures = await queries.LoadAsync(filter, Targets, clock.GetUtcNow(), cancellationToken);
        Monitoring = await monitoring.LoadAsync(filter.From, filter.To, cancellationToken);
        Ladder = await ladder.CountsAsync(cancellationToken);
        Companions = Figures.Caseload.Select(c => (c.CompanionId, c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (filter.CompanionId is not null)
        {
            var all = await queries.LoadAsync(filter with { CompanionId = null }, Targets, clock.GetUtcNow(), cancellationToken);
            Companions = all.Caseload.Select(c => (c.CompanionId, c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }
        return result.IsValid;
    }

    public static DateOnly? ParseMonth(string? value) =>
        DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>"under 2 h" style text for a first-contact bucket.</summary>
    public string BucketText(int? bucket)
    {
        if (bucket is not { } b) return "";
        return DashboardFacts.BucketCeilingMinutes(b) is { } ceiling
            ? text["under {0}", Duration(ceiling)]
            : text["{0} or more", Duration(DashboardFacts.BucketFloorMinutes(b))];
    }

    /// <summary>A time-to-verified-deletion bucket (see <see cref="DashboardFacts.GoneHoursBounds"/>) as "under N".</summary>
    public string GoneBucketText(int? bucket)
    {
        if (bucket is not { } b) return "";
        return DashboardFacts.GoneBucketCeilingHours(b) is { } ceiling
            ? text["under {0}", Duration(ceiling * 60)]
            : text["{0} or more", Duration(DashboardFacts.GoneBucketFloorHours(b) * 60)];
    }

    public string Duration(int minutes) => minutes < 60 ? text["{0} min", minutes]
        : minutes % 60 == 0 && minutes <= 48 * 60 ? text["{0} h", minutes / 60]
        : text["{0} days", Math.Round(minutes / 1440.0, 1)];

    public string Age(TimeSpan age) => WaitingTime.Text(age, text);

    /// <summary>Median hours as the dashboard writes durations ("3 h", "2.5 days"); empty when nothing was measured.</summary>
    public string Hours(double? hours) => hours is { } h ? Duration((int)Math.Round(h * 60)) : "";

    public static string Percent(long part, long whole) => whole == 0 ? "" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string StatusLabel(CaseStatus status) => status switch
    {
        CaseStatus.New => "New",
        CaseStatus.Triaged => "Triaged",
        CaseStatus.Assigned => "Assigned",
        CaseStatus.InProgress => "In progress",
        CaseStatus.Closed => "Closed",
        _ => "Withdrawn",
    };

    public static string PriorityLabel(CasePriority priority) => priority switch
    {
        CasePriority.Emergency => "Emergency",
        CasePriority.High => "High",
        _ => "Normal",
    };

    public static string CrimeLabel(CrimeType crime) => crime switch
    {
        CrimeType.IllegalFilming => "Illegal filming",
        CrimeType.DistributionWithoutConsent => "Distribution without consent",
        CrimeType.Redistribution => "Re-distribution",
        CrimeType.ThreatToDistribute => "Threats to distribute",
        CrimeType.DeepfakeComposite => "Deepfake or composite images",
        CrimeType.OnlineSexualHarassment => "Online sexual harassment",
        _ => "Online grooming",
    };

    public static string TrackLabel(ServiceTrackKind kind) => kind switch
    {
        ServiceTrackKind.Investigation => "Investigation support",
        ServiceTrackKind.Legal => "Legal support",
        ServiceTrackKind.Medical => "Medical support",
        ServiceTrackKind.Psychological => "Psychological support",
        ServiceTrackKind.Deletion => "Deletion support",
        _ => "Daily-life recovery",
    };

    private DashboardCsv.Table Export(string table)
    {
        var f = Figures;
        string Count(long n) => DashboardCsv.Count(n);
        string L(string key) => text[key];
        return table switch
        {
            "open-status" => new(table, [L("Status"), L("Open cases")],
                f.OpenByStatus.Select(s => (IReadOnlyList<string>)[L(StatusLabel(s.Key)), Count(s.Value)]).ToList()),
            "open-priority" => new(table, [L("Priority"), L("Open cases")],
                f.OpenByPriority.OrderByDescending(p => p.Key).Select(p => (IReadOnlyList<string>)[L(PriorityLabel(p.Key)), Count(p.Value)]).ToList()),
            "tracks" => new(table, [L("Service"), L("Active"), L("On hold")],
                f.OpenTracks.Select(t => (IReadOnlyList<string>)[L(TrackLabel(t.Kind)), Count(t.Active), Count(t.OnHold)]).ToList()),
            "queue" => new(table, [L("Waiting for assignment"), L("Past the first-contact target")],
                [[Count(f.Queue.Waiting), Count(f.Queue.PastTarget)]]),
            "caseload" => new(table, [L("Companion"), L("Open cases"), L("Emergency"), L("Overdue first contacts")],
                f.Caseload.Select(c => (IReadOnlyList<string>)[c.Name, Count(c.Open), Count(c.Emergency), Count(c.OverdueContacts)]).ToList()),
            "first-contact" => new(table, [L("Month"), L("Contacted"), L("Within target"), L("Median"), L("90th percentile")],
                f.FirstContact.Select(m => (IReadOnlyList<string>)[MonthText(m.Month), Count(m.Contacted), Count(m.WithinTarget),
                    DashboardCsv.Derived(m.Contacted, BucketText(m.MedianBucket)), DashboardCsv.Derived(m.Contacted, BucketText(m.P90Bucket))]).ToList()),
            "deletion" => new(table, [L("Platform"), L("Requests"), L("Deleted"), L("Refused"), L("No response"), L("Verified gone"),
                    L("Median time to verified deletion"), L("90th percentile time to verified deletion"), L("Reappearance rate")],
                f.Deletion.Select(p => (IReadOnlyList<string>)[p.Platform, Count(p.Requests), Count(p.Deleted), Count(p.Refused), Count(p.NoResponse), Count(p.VerifiedGone),
                    DashboardCsv.Derived(p.VerifiedGone, GoneBucketText(p.MedianGoneBucket)), DashboardCsv.Derived(p.VerifiedGone, GoneBucketText(p.P90GoneBucket)),
                    DashboardCsv.Derived(p.Removed, Percent(p.ReappearedAfterRemoval, p.Removed))]).ToList()),
            "monitoring-found-by" => new(table, [L("Found by"), L("Links")],
                [[L("Monitoring"), Count(Monitoring.FoundByMonitoring)],
                 [L("Reported by victims, companions and citizen monitors"), Count(Monitoring.ReportedByPeople)],
                 [L("Re-check"), Count(Monitoring.FoundBy.GetValueOrDefault(ContentFinder.RecheckJob))]]),
            "monitoring-platforms" => new(table, [L("Platform"), L("Found"), L("Requests"), L("Median time from found to request"), L("Verified gone"),
                    L("Median time from request to verified deletion"), L("Reappeared (found by monitoring)")],
                Monitoring.Platforms.Select(p => (IReadOnlyList<string>)[p.Platform ?? L("Unknown platform"), Count(p.Found), Count(p.Requested),
                    DashboardCsv.Derived(p.Requested, Hours(p.MedianHoursToRequest)), Count(p.VerifiedGone),
                    DashboardCsv.Derived(p.VerifiedGone, Hours(p.MedianHoursToGone)), Count(p.Reappeared)]).ToList()),
            _ => new(table,
                [L("Month"), L("New cases"), L("Closed cases"), L("Minors"), L("Minors' share"), .. (f.Trends.Count > 0 ? f.Trends[0].ByCrime.Keys.Select(c => L(CrimeLabel(c))) : [])],
                f.Trends.Select(m => (IReadOnlyList<string>)[MonthText(m.Month), Count(m.Opened), Count(m.Closed), Count(m.Minors),
                    DashboardCsv.Derived(m.Opened, Percent(m.Minors, m.Opened)), .. m.ByCrime.Values.Select(Count)]).ToList()),
        };
    }
}
