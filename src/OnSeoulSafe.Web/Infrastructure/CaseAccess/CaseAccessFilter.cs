using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure.CaseAccess;

/// <summary>
/// Runs before every handler of every page in a case folder that names a case by its <c>{reference}</c>:
/// loads who holds the case, asks <see cref="CaseAccessHandler"/>, and either refuses (404 like an unknown reference, logged as a denied attempt),
/// sends a manager to state a reason, or lets the page run with exactly one access-log row: for a change, added to the
/// request's DbContext, so the page's own SaveChangesAsync commits its change and the row together; for a view, kept
/// out of the context and written by the page's read batch or, if the page has none, after the page.
/// </summary>
public sealed class CaseAccessFilter(CaseAccessScope folderScope) : IAsyncPageFilter
{
    public const string ReferenceRouteValue = "reference";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.RouteData.Values[ReferenceRouteValue] is not string reference)
        {
            await next();
            return;
        }
        var http = context.HttpContext;
        var services = http.RequestServices;
        var db = services.GetRequiredService<PortalDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var cancellationToken = http.RequestAborted;

        var normalised = reference.Trim().ToUpperInvariant();
        var resource = await HoldersAsync(db, normalised, cancellationToken);
        if (resource is null)
        {
            context.Result = new NotFoundResult();
            return;
        }

        var scope = context.ActionDescriptor.ModelTypeInfo?.GetCustomAttribute<CaseAccessScopeAttribute>()?.Scope ?? folderScope;
        var user = http.User;
        var result = await services.GetRequiredService<IAuthorizationService>()
            .AuthorizeAsync(user, resource, CaseAccessRequirement.For(scope));
        var staffId = CaseAccessHandler.StaffIdOf(user);
        var actorRole = CaseAccessHandler.ActorRoleOf(user, resource.AssignedCompanionId);
        var what = Describe(context);

        if (!result.Succeeded || staffId is null)
        {
            if (result.Failure?.FailureReasons.Any(r => r.Message == CaseAccessHandler.BreakTheGlassRequired) == true)
            {
                // Nothing of the file was read yet: the manager is asked for a reason first.
                context.Result = new RedirectResult(BreakTheGlassUrl(resource.Reference, http.Request));
                return;
            }
            CaseAccessLog.Record(db, clock.GetUtcNow(), staffId, actorRole, resource.CaseId, AccessAction.Denied, what);
            await db.SaveChangesAsync(cancellationToken);
            // The same answer as an unknown reference: a refusal must not confirm that the case exists.
            context.Result = new NotFoundResult();
            return;
        }

        var access = services.GetRequiredService<CaseAccessContext>();
        access.Grant(resource, staffId.Value, actorRole);
        if (scope == CaseAccessScope.BreakTheGlassForm)
        {
            // The form shows nothing of the file; the page logs the stated reason itself.
            await next();
            return;
        }

        var action = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? AccessAction.View
            : context.ActionDescriptor.ModelTypeInfo?.IsDefined(typeof(CaseFileExportAttribute), inherit: false) == true ? AccessAction.Export
            : AccessAction.Edit;
        // A change's row goes into the context, so the page's SaveChanges commits it with the change. A view changes
        // nothing: its row stays out of the context and is written by the page's read batch, or below.
        var entry = action == AccessAction.View
            ? CaseAccessLog.Create(clock.GetUtcNow(), staffId, actorRole, resource.CaseId, action, what)
            : CaseAccessLog.Record(db, clock.GetUtcNow(), staffId, actorRole, resource.CaseId, action, what);
        access.Logged(entry);

        var executed = await next();

        // The database gives the row its id when it is saved (by the page's SaveChanges or in the page's read batch);
        // none means the handler saved nothing.
        if (entry.Id == 0 && (executed.Exception is null || executed.ExceptionHandled))
        {
            // The handler read, or was refused, and saved nothing: keep the log row, drop any half-made change.
            db.ChangeTracker.Clear();
            await CaseAccessLog.WriteAsync(db, entry, CancellationToken.None);
        }
    }

    /// <summary>
    /// Who holds the case (its assigned companion and the holders of its service tracks), with one plain command:
    /// every request to a case page asks, so it skips EF Core's query pipeline.
    /// </summary>
    private static async Task<CaseResource?> HoldersAsync(PortalDbContext db, string reference, CancellationToken cancellationToken)
    {
        await using var command = await db.Database.CommandAsync(
            """
            SELECT c."Id", c."Reference", c."AssignedCompanionId",
                   ARRAY(SELECT t."ResponsibleStaffId" FROM "ServiceTracks" t WHERE t."CaseId" = c."Id" AND t."ResponsibleStaffId" IS NOT NULL)
            FROM "Cases" c WHERE c."Reference" = $1
            """,
            cancellationToken);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new CaseResource(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.GetFieldValue<Guid[]>(3));
    }

    public static string BreakTheGlassUrl(string reference, HttpRequest request)
    {
        var back = HttpMethods.IsGet(request.Method) ? request.Path + request.QueryString : request.Path.ToString();
        return $"/cases/{reference.ToLowerInvariant()}/break-the-glass?returnUrl={Uri.EscapeDataString(back)}";
    }

    private static string Describe(PageHandlerExecutingContext context)
    {
        var handler = context.HandlerMethod?.Name;
        return string.IsNullOrEmpty(handler)
            ? context.ActionDescriptor.ViewEnginePath
            : $"{context.ActionDescriptor.ViewEnginePath}#{handler}";
    }
}
