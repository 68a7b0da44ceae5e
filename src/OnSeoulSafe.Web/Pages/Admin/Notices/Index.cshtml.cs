using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Admin.Notices;

/// <summary>
/// Notices the portal could not send (parked after every attempt, or never sendable as configured): platform, step,
/// reason and attempts, never the address or anything of the victim. "Send again" puts one back in the outbox; the
/// case's access log and the portal log record who did it.
/// </summary>
public sealed partial class IndexModel(PortalDbContext db, TimeProvider clock, IStringLocalizer<EscalationText> text, ILogger<IndexModel> logger) : PageModel
{
    public const int Shown = 200;

    public sealed record ParkedRow(long Id, string? Platform, NoticeStep Step, NoticeDelivery Delivery, string? Reason, int Attempts, DateTimeOffset CreatedAt);

    public IReadOnlyList<ParkedRow> Parked { get; private set; } = [];

    public async Task OnGetAsync() =>
        Parked = await (from n in db.DeletionNotices.AsNoTracking()
                        where n.State == NoticeState.Parked
                        join p in db.Platforms on n.PlatformId equals p.Id into ps
                        from p in ps.DefaultIfEmpty()
                        orderby n.CreatedAt, n.Id
                        select new ParkedRow(n.Id, p == null ? null : p.Name, n.Step, n.Delivery, n.LastError, n.Attempts, n.CreatedAt))
            .Take(Shown)
            .ToListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRetryAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        var notice = await db.DeletionNotices.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null || notice.State != NoticeState.Parked)
        {
            TempData["Done"] = text["This notice is no longer waiting to be sent again."].Value;
            return RedirectToPage("/Admin/Notices/Index");
        }
        var now = clock.GetUtcNow();
        notice.Retry(now);
        var me = CaseAccessHandler.StaffIdOf(User);
        var caseId = await db.ContentItems.Where(i => i.Id == notice.ContentItemId).Select(i => i.CaseId).SingleOrDefaultAsync(ct);
        if (caseId is { } c) CaseAccessLog.Record(db, now, me, CaseAccessHandler.ActorRoleOf(User, null), c, AccessAction.Edit, "/Admin/Notices#Retry");
        await db.SaveChangesAsync(ct);
        LogRetry(logger, notice.Id, notice.PlatformId, me);
        TempData["Done"] = text["The notice is back in the outbox and will be sent again."].Value;
        return RedirectToPage("/Admin/Notices/Index");
    }

    public static string StepLabel(NoticeStep step) => step == NoticeStep.First ? "First notice" : "Second notice";

    public static string DeliveryLabel(NoticeDelivery delivery) => delivery switch
    {
        NoticeDelivery.Email => "E-mail",
        NoticeDelivery.HttpEndpoint => "HTTP endpoint",
        _ => "By hand",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} for platform {PlatformId} sent again by {StaffId}")]
    private static partial void LogRetry(ILogger logger, long noticeId, int platformId, Guid? staffId);
}
