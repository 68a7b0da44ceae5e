using Npgsql;

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

app.MapGet("/health", () => "ok");

await app.RunAsync();
