using Npgsql;
using OnSeoulSafe.Bench;

// The machine's own limits, measured beside the portal in the same run: what Kestrel alone answers, and what one
// durable 2 KB insert per request costs on the same PostgreSQL. The portal's figures are read as ratios to these.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration.GetConnectionString("Baseline")
    ?? throw new InvalidOperationException("ConnectionStrings__Baseline is not set.");
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));

var app = builder.Build();

await using (var command = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
    "CREATE TABLE IF NOT EXISTS baseline_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL)"))
{
    await command.ExecuteNonQueryAsync();
}

var body = new string('x', 2048);

app.MapGet("/text", () => "Hello from bare Kestrel");

app.MapPost("/insert", async (NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
{
    await using var command = dataSource.CreateCommand("INSERT INTO baseline_rows (body) VALUES ($1)");
    command.Parameters.Add(new NpgsqlParameter { Value = body });
    await command.ExecuteNonQueryAsync(cancellationToken);
    return Results.Text("inserted");
});

// A database floor behind bare Kestrel: per POST, the batch the load generator last PUT, run on the portal's
// database, answered with a page as long as the portal's. No portal serving the scenario can be faster than this.
// It runs whatever statements it is sent, so it exists only here: on loopback, beside a throwaway cluster.
if (builder.Configuration.GetConnectionString("PortalOwner") is { } portalDatabase)
{
    var floorDatabase = FloorBatch.DataSource(portalDatabase);
    var floor = new FloorWork([], "");
    app.MapPut("/floor", (FloorRequest request) =>
    {
        floor = new FloorWork(request.Statements, new string('x', request.PageBytes));
        return Results.NoContent();
    });
    app.MapPost("/floor", async (CancellationToken cancellationToken) =>
    {
        var work = floor;
        await FloorBatch.RunAsync(floorDatabase, work.Statements, cancellationToken);
        return Results.Text(work.Page, "text/html");
    });
}

app.MapGet("/health", () => "ok");

await app.RunAsync();

internal sealed record FloorRequest(string[] Statements, int PageBytes);

internal sealed record FloorWork(string[] Statements, string Page);
