using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Retention;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>
/// Victims' erasure requests: one manager approves, a second, different manager approves and the case is erased in
/// the same save (<see cref="CaseErasure"/>); either may reject with a reason the victim sees.
/// </summary>
public sealed class ErasureModel(PortalDbContext db, TimeProvider clock, UserManager<StaffMember> users, IStringLocalizer<ErasureText> text) : PageModel
{
    public const int DecidedShown = 50;

    public sealed record Row(long Id, string Reference, DateTimeOffset RequestedAt, ErasureStatus Status, string? FirstApprover, bool FirstApprovalIsMine, DateTimeOffset? CompletedAt, string? RejectionReason);

    [BindProperty]
    public DecisionInput Input { get; set; } = new();

    public IReadOnlyList<Row> Pending { get; private set; } = [];
    public IReadOnlyList<Row> Decided { get; private set; } = [];

    /// <summary>The request whose form failed: its fields keep what was typed and show the error.</summary>
    public long? FailedRequest { get; private set; }

    public async Task OnGetAsync() => await LoadAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostApproveAsync()
    {
        var ct = HttpContext.RequestAborted;
        var request = await db.ErasureRequests.SingleOrDefaultAsync(r => r.Id == Input.RequestId, ct);
        if (request is null) return RedirectToPage();
        var me = Me();
        var now = clock.GetUtcNow();
        try
        {
            request.Approve(me, now);
        }
        catch (DomainRuleException e)
        {
            return await FailAsync(string.Empty, e.Rule == "erasure.same-approver"
                ? text["You gave the first approval: a second, different manager must approve."]
                : text["This request has already been decided."]);
        }
        if (request.Status == ErasureStatus.Completed)
        {
            await CaseErasure.EraseAsync(db, request.CaseId, now, ct);
        }
        CaseAccessLog.Record(db, now, me, StaffRoles.Manager, request.CaseId, AccessAction.Edit,
            request.Status == ErasureStatus.Completed ? "Intake/Erasure:Erase" : "Intake/Erasure:Approve");
        if (!await SavedAsync(ct)) return await FailAsync(string.Empty, text["Another manager has just decided this request. Look again."]);
        TempData["Done"] = request.Status == ErasureStatus.Completed
            ? text["Second approval given: the case's data was erased."].Value
            : text["First approval given. A second manager must now approve."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync()
    {
        var ct = HttpContext.RequestAborted;
        var validation = new Validator(text).Validate(Input);
        if (!validation.IsValid)
        {
            FailedRequest = Input.RequestId;
            ModelState.AddErrors(validation);
            await LoadAsync(ct);
            return Page();
        }
        var request = await db.ErasureRequests.SingleOrDefaultAsync(r => r.Id == Input.RequestId, ct);
        if (request is null) return RedirectToPage();
        var now = clock.GetUtcNow();
        try
        {
            request.Reject(Me(), Input.Reason!, now);
        }
        catch (DomainRuleException)
        {
            return await FailAsync(string.Empty, text["This request has already been decided."]);
        }
        CaseAccessLog.Record(db, now, Me(), StaffRoles.Manager, request.CaseId, AccessAction.Edit, "Intake/Erasure:Reject");
        if (!await SavedAsync(ct)) return await FailAsync(string.Empty, text["Another manager has just decided this request. Look again."]);
        TempData["Done"] = text["The request was rejected; the victim sees your reason."].Value;
        return RedirectToPage();
    }

    private async Task<bool> SavedAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<IActionResult> FailAsync(string field, string message)
    {
        FailedRequest = Input.RequestId;
        ModelState.AddModelError(field, message);
        db.ChangeTracker.Clear();
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private Guid Me() => Guid.Parse(users.GetUserId(User)!);

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = Me();
        var rows = from r in db.ErasureRequests.AsNoTracking()
                   join c in db.Cases on r.CaseId equals c.Id
                   join u in db.Users on r.FirstApproverId equals u.Id into approvers
                   from u in approvers.DefaultIfEmpty()
                   select new { r, c.Reference, Approver = u == null ? null : u.Email };
        Pending = (await rows.Where(x => x.r.Status == ErasureStatus.Requested || x.r.Status == ErasureStatus.FirstApproval)
                .OrderBy(x => x.r.RequestedAt).ToListAsync(ct))
            .Select(x => ToRow(x.r, x.Reference, x.Approver, me)).ToList();
        // A request the victim cancelled leaves the queue; it stays visible here among the decided ones.
        Decided = (await rows.Where(x => x.r.Status == ErasureStatus.Completed || x.r.Status == ErasureStatus.Rejected || x.r.Status == ErasureStatus.Cancelled)
                .OrderByDescending(x => x.r.CompletedAt).Take(DecidedShown).ToListAsync(ct))
            .Select(x => ToRow(x.r, x.Reference, x.Approver, me)).ToList();
    }

    private static Row ToRow(ErasureRequest r, string reference, string? approver, Guid me) =>
        new(r.Id, reference, r.RequestedAt, r.Status, approver, r.FirstApproverId == me, r.CompletedAt, r.RejectionReason);

    public sealed record DecisionInput
    {
        public long RequestId { get; set; }
        public string? Reason { get; set; }
    }

    public sealed class Validator : AbstractValidator<DecisionInput>
    {
        public const int ReasonMaxLength = 1000;

        public Validator(IStringLocalizer<ErasureText> text)
        {
            RuleFor(i => i.Reason).NotEmpty().WithMessage(text["Give the reason for rejecting; the victim will see it."]);
            RuleFor(i => i.Reason).MaximumTextLength(ReasonMaxLength).WithMessage(text["The reason can be at most {0} characters.", ReasonMaxLength]);
        }
    }
}
