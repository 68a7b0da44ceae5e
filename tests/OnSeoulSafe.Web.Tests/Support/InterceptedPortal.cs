using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>The portal with one database command interceptor of the test's own: to inject a fault, or to count.</summary>
public class InterceptedPortal<TInterceptor> : PortalFactory
    where TInterceptor : class, IInterceptor, new()
{
    public TInterceptor Interceptor { get; } = new();

    protected override string DatabasePurpose => typeof(TInterceptor).Name;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IInterceptor>(Interceptor));
    }
}
