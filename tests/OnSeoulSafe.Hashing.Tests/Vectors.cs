namespace OnSeoulSafe.Hashing.Tests;

/// <summary>The reference vectors in &lt;repository&gt;/../shared/pdq-vectors (see its README).</summary>
internal static class Vectors
{
    public static string Root { get; } = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OnSeoulSafe.sln")))
            {
                var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "pdq-vectors"));
                if (!File.Exists(Path.Combine(vectors, "expected.tsv")))
                {
                    throw new InvalidOperationException(
                        $"The PDQ reference vectors are missing: expected {vectors}/expected.tsv beside the repository (../shared/pdq-vectors).");
                }
                return vectors;
            }
        }
        throw new InvalidOperationException("The repository root (OnSeoulSafe.sln) was not found above the test binaries.");
    }

    public static string PathOf(string file) => Path.Combine(Root, file);

    /// <summary>Rows of a TSV file as column name → value, for the shipped files only (the others are listed but not shipped).</summary>
    public static IEnumerable<Dictionary<string, string>> Rows(string tsv)
    {
        var lines = File.ReadAllLines(PathOf(tsv));
        var header = lines[0].Split('\t');
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split('\t');
            yield return header.Select((name, i) => (name, value: i < cells.Length ? cells[i] : "")).ToDictionary(c => c.name, c => c.value);
        }
    }

    public static bool Shipped(string file) =>
        (file.StartsWith("images/", StringComparison.Ordinal) || file.StartsWith("pixels/", StringComparison.Ordinal)) && File.Exists(PathOf(file));

    public static TheoryData<string, string, int> Expected(string tier)
    {
        var data = new TheoryData<string, string, int>();
        foreach (var row in Rows("expected.tsv").Where(r => r["tier"] == tier && Shipped(r["file"])))
        {
            data.Add(row["file"], row["pdq_hex"], int.Parse(row["quality"], System.Globalization.CultureInfo.InvariantCulture));
        }
        return data;
    }
}
