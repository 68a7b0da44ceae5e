using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure.CaseAccess;

/// <summary>Wires case access: the handler, the per-request context, and the filter on every case folder.</summary>
public static class CaseAccessSetup
{
    /// <summary>Folders whose pages address one case by <c>{reference}</c>, and what opening it means there.</summary>
    public static readonly IReadOnlyDictionary<string, CaseAccessScope> CaseFolders = new Dictionary<string, CaseAccessScope>
    {
        ["/Cases"] = CaseAccessScope.CaseFile,
        ["/Intake"] = CaseAccessScope.Assignment,
    };

    public static IServiceCollection AddCaseAccess(this IServiceCollection services)
    {
        services.AddScoped<IAuthorizationHandler, CaseAccessHandler>();
        services.AddScoped<CaseAccessContext>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DeniedCaseAttemptLogging>();
        return services;
    }

    public static void ApplyCaseAccessConventions(PageConventionCollection conventions)
    {
        foreach (var (folder, scope) in CaseFolders)
        {
            var filter = new CaseAccessFilter(scope);
            conventions.AddFolderRouteModelConvention(folder, RequireReferenceRoute);
            conventions.AddFolderApplicationModelConvention(folder, model => model.Filters.Add(filter));
        }
    }

    /// <summary>A case page must name its case by reference, so the filter sees it; any other route value fails at start-up.</summary>
    private static void RequireReferenceRoute(PageRouteModel model)
    {
        foreach (var selector in model.Selectors)
        {
            var template = selector.AttributeRouteModel?.Template ?? "";
            var addressesSomething = template.Contains('{', StringComparison.Ordinal);
            if (addressesSomething && !template.Contains("{" + CaseAccessFilter.ReferenceRouteValue, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Page {model.ViewEnginePath} has route '{template}': pages in a case folder address a case by {{reference}}.");
            }
        }
    }

    /// <summary>
    /// A role the folder policy already turns away (a monitor or auditor opening /cases/{reference}) is still a denied
    /// attempt on that case, and is logged as one.
    /// </summary>
    private sealed class DeniedCaseAttemptLogging : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden
                && context.GetRouteValue(CaseAccessFilter.ReferenceRouteValue) is string reference
                && context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is { } page
                && CaseFolders.Keys.Any(f => page.ViewEnginePath.StartsWith(f + "/", StringComparison.Ordinal)))
            {
                var db = context.RequestServices.GetRequiredService<PortalDbContext>();
                var normalised = reference.Trim().ToUpperInvariant();
                var caseId = await db.Cases.Where(c => c.Reference == normalised).Select(c => (long?)c.Id).SingleOrDefaultAsync(context.RequestAborted);
                if (caseId is not null)
                {
                    var clock = context.RequestServices.GetRequiredService<TimeProvider>();
                    CaseAccessLog.Record(db, clock.GetUtcNow(), CaseAccessHandler.StaffIdOf(context.User),
                        CaseAccessHandler.ActorRoleOf(context.User, null), caseId, AccessAction.Denied, page.ViewEnginePath);
                    await db.SaveChangesAsync(context.RequestAborted);
                }
            }
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
