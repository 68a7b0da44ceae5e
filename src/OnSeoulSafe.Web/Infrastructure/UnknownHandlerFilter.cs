using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// A request no handler of its page answers (a POST to a page that only shows, <c>?handler=x</c>) would render the
/// page without the handler that loads its model, and the view would fail. It is answered 404 (GET, HEAD) or 405
/// instead, through the portal's error page. Pages without any handler (views only) and the error page's own
/// re-execution are left alone.
/// </summary>
public sealed class UnknownHandlerFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is not null || context.ActionDescriptor.HandlerMethods.Count == 0) return;
        var features = context.HttpContext.Features;
        if (features.Get<IStatusCodeReExecuteFeature>() is not null || features.Get<IExceptionHandlerFeature>() is not null) return;
        var method = context.HttpContext.Request.Method;
        context.Result = new StatusCodeResult(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            ? StatusCodes.Status404NotFound
            : StatusCodes.Status405MethodNotAllowed);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
