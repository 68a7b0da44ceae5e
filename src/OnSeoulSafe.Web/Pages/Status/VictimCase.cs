using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>
/// The signed-in victim's own case, and the access-log row for each visit: victims can see who read their file,
/// and their own visits are in the same log (no staff id, role "Victim").
/// </summary>
public sealed class VictimCase(PortalDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public long CaseId => VictimAccess.CaseId(http.HttpContext!.User);

    /// <summary>Loads the case with what a page needs, tracked so the page can change it, and adds the log row.</summary>
    public async Task<Case> LoadAsync(Func<IQueryable<Case>, IQueryable<Case>> include, string what, CancellationToken cancellationToken)
    {
        var id = CaseId;
        var @case = await include(db.Cases.Where(c => c.Id == id)).AsSplitQuery().SingleAsync(cancellationToken);
        Log(what);
        return @case;
    }

    /// <summary>Adds this request's access-log row; it is saved with the page's change, or by <see cref="SaveViewAsync"/>.</summary>
    public void Log(string what)
    {
        var action = HttpMethods.IsGet(http.HttpContext!.Request.Method) ? AccessAction.View : AccessAction.Edit;
        CaseAccessLog.RecordVictim(db, clock.GetUtcNow(), CaseId, action, what);
    }

    public Task SaveViewAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
