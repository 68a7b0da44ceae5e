using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using OnSeoulSafe.Web.Pages.Report;

namespace OnSeoulSafe.Web.Infrastructure;

public static class PortalPipeline
{
    public static IServiceCollection AddPortalPages(this IServiceCollection services)
    {
        services
            .AddRazorPages(options =>
            {
                PortalAuthorization.ApplyFolderPolicies(options.Conventions);
                // Every POST, on every page, checks the antiforgery token.
                options.Conventions.ConfigureFilter(new AutoValidateAntiforgeryTokenAttribute());
                options.Conventions.ConfigureFilter(new UnknownHandlerFilter());
            })
            .AddViewLocalization(LanguageViewLocationExpanderFormat.Suffix);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "oss.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__af";
        });
        services.AddRouting(options => options.LowercaseUrls = true);
        services.Configure<MvcOptions>(options => options.ModelBinderProviders.Insert(0, new CheckboxBinderProvider()));
        services.AddPortalValidationMessages();

        // Feature services shared by several pages of a feature.
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddScoped<Pages.Report.ReportIntake>();
        services.AddSingleton<Pages.Report.IntakeFormSnapshots>();
        services.AddScoped<Pages.Status.VictimCase>();

        // FluentValidation's client adapters write a form's rules (required, length, pattern, e-mail) into its fields
        // as data-val-* attributes for the validators registered here; a page that loads the client script
        // (wwwroot/js/client-validation.js) then shows those errors before the post. Validators are not run
        // automatically (FluentValidation no longer recommends it): each page calls its own and fills ModelState.
        services.AddFluentValidationClientsideAdapters();
        services.AddTransient<IValidator<Pages.Admin.Staff.NewModel.NewStaffInput>, Pages.Admin.Staff.NewModel.Validator>();
        return services;
    }

    public static ForwardedHeadersOptions TrustedProxies(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        var section = configuration.GetSection("Portal:ForwardedHeaders");
        foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy.Trim()));
        }
        foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        }
        return options;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        // X-Forwarded-For and -Proto are believed only from the proxies named in configuration
        // (Portal:ForwardedHeaders:KnownProxies, addresses; KnownNetworks, CIDR ranges). Without any, the headers are
        // ignored: trusting them from every loopback peer let anyone on the host pick the address rate limits count.
        app.UseForwardedHeaders(TrustedProxies(app.Configuration));
        // The friendly error page in every environment: a stack trace could carry what a victim typed.
        // A protected field refused because it was not written for its row is a 409 with its own explanation.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = error => error is OnSeoulSafe.Cases.Protection.FieldPlaceException
                ? StatusCodes.Status409Conflict : StatusCodes.Status500InternalServerError,
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/error", "?code={0}");
        app.UsePortalSecurityHeaders();
        app.UsePortalRequestLogging();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePortalRateLimits();
        app.UseIntakeFormSnapshots();
        // Outside the staff fallback policy: a load balancer probes without signing in. Live: the process answers
        // (no check). Ready: the database answers too; /health is the same as ready.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapPortalMetrics();
        OnSeoulSafe.Web.Pages.Cases.AgendaFeed.MapCalendarFeeds(app);
        app.MapRazorPages();
        // An unknown address is a plain 404 for everyone (the friendly error page), not a staff sign-in prompt.
        app.MapFallback("{*path}", context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }).AllowAnonymous();
        return app;
    }
}
