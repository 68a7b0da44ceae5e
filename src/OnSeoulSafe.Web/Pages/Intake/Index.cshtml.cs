using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>The intake queue: open cases nobody holds yet, emergencies first, then the oldest.</summary>
public sealed class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(string Reference, CasePriority Priority, CaseStatus Status, bool IsMinor, DateTimeOffset CreatedAt, string Language,
        bool SelfHarmThoughts = false, bool OngoingThreats = false, bool OffenderKnowsAddress = false, bool ThreatToDistribute = false,
        IntakeChannel Channel = IntakeChannel.Web)
    {
        /// <summary>The intake answers that raised the priority, in the English of the resources.</summary>
        public IEnumerable<string> Reasons()
        {
            if (SelfHarmThoughts) yield return "Thoughts of self-harm";
            if (OngoingThreats) yield return "Ongoing threats";
            if (OffenderKnowsAddress) yield return "Offender knows where the victim lives";
            if (IsMinor) yield return "Under 19";
            if (Priority != CasePriority.Emergency && ThreatToDistribute) yield return "Threat to distribute";
        }
    }

    public IReadOnlyList<Row> Queue { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow();
        Queue = await db.Cases.AsNoTracking()
            .Where(c => c.AssignedCompanionId == null && (c.Status == CaseStatus.New || c.Status == CaseStatus.Triaged))
            .OrderBy(c => c.Priority == CasePriority.Emergency ? 0 : c.Priority == CasePriority.High ? 1 : 2)
            .ThenBy(c => c.CreatedAt)
            .Select(c => new Row(c.Reference, c.Priority, c.Status, c.IsMinor, c.CreatedAt, c.Victim.PreferredLanguage,
                c.Risk.SelfHarmThoughts, c.Risk.OngoingThreats, c.Risk.OffenderKnowsAddress, c.CrimeTypes.Contains(CrimeType.ThreatToDistribute), c.IntakeChannel))
            .Take(500)
            .ToListAsync(HttpContext.RequestAborted);
    }
}
