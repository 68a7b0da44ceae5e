using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Pages.Dashboard;

if (await PortalDatabase.MigrateOnlyIfAskedAsync(args)) return;
if (await PortalDatabase.ReencryptOnlyIfAskedAsync(args)) return;
if (await MonitoringSupport.RunMonitorOnlyIfAskedAsync(args)) return;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalLogging();
builder.Services.AddPortalTelemetry(builder.Configuration);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPortalDatabase(builder.Configuration);
builder.Services.AddPortalDataProtection();
builder.Services.AddPortalIdentity();
builder.Services.AddPortalAuthorization();
builder.Services.AddVictimAccess();
builder.Services.AddPortalLocalization();
builder.Services.AddPortalRateLimits();
builder.Services.AddPortalPages();
builder.Services.AddPortalCookies();
builder.Services.AddDeletionSupport(builder.Configuration);
builder.Services.AddMonitoring(builder.Configuration);
builder.Services.AddDeletionNotices(builder.Configuration);
builder.Services.AddPersonNotices(builder.Configuration);
builder.Services.AddPortalDashboard(builder.Configuration);
builder.Services.AddPortalAudit(builder.Configuration);

var app = builder.Build();

app.UsePortalPipeline();
await app.MigratePortalDatabaseAsync();
await app.SeedDemoDataIfAskedAsync(args);
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the portal.</summary>
public partial class Program;
