using System.Globalization;

namespace OnSeoulSafe.Hashing.Tests;

/// <summary>The hasher against the reference's own outputs (../shared/pdq-vectors): bit for bit where the pixels are the reference's.</summary>
public sealed class PdqVectorTests
{
    public static TheoryData<string, string, int> CoreExact => Vectors.Expected("core-exact");
    public static TheoryData<string, string, int> CoreJpeg => Vectors.Expected("core-jpeg");

    [Theory]
    [MemberData(nameof(CoreExact))]
    public void CoreExactRow_LosslessPixels_HashAndQualityBitForBit(string file, string expectedHex, int expectedQuality)
    {
        var hashed = PdqImage.HashFile(Vectors.PathOf(file));

        hashed.Hash.ToString().ShouldBe(expectedHex);
        hashed.Quality.ShouldBe(expectedQuality);
    }

    [Theory]
    [MemberData(nameof(CoreJpeg))]
    public void CoreJpegRow_SkiaDecodesTheReferencePixels_HashAndQualityBitForBit(string file, string expectedHex, int expectedQuality)
    {
        var hashed = PdqImage.HashFile(Vectors.PathOf(file));

        hashed.Hash.ToString().ShouldBe(expectedHex);
        hashed.Quality.ShouldBe(expectedQuality);
    }

    [Fact]
    public void ShippedVectors_CoverEveryTier()
    {
        CoreExact.Count.ShouldBeGreaterThanOrEqualTo(19);
        CoreJpeg.Count.ShouldBeGreaterThanOrEqualTo(19);
    }

    [Fact]
    public void DegenerateRow_FlatPicture_QualityZero()
    {
        var row = Vectors.Rows("expected.tsv").Single(r => r["tier"] == "degenerate");

        PdqImage.HashFile(Vectors.PathOf(row["file"])).Quality.ShouldBe(0);
        row["quality"].ShouldBe("0");
    }

    public static TheoryData<string> DihedralFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Vectors.Rows("dihedral.tsv").Select(r => r["file"]).Distinct().Where(Vectors.Shipped))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DihedralFiles))]
    public void DihedralRows_FromTheDct_AllEightBitForBit(string file)
    {
        var expected = Vectors.Rows("dihedral.tsv")
            .Where(r => r["file"] == file && r["source"].StartsWith("C++ reference core", StringComparison.Ordinal))
            .ToDictionary(r => r["transform"], r => r["pdq_hex"]);

        var dihedrals = PdqImage.HashFile(Vectors.PathOf(file), dihedrals: true).Dihedrals!;

        var actual = PdqDihedrals.Names.Zip(dihedrals.ToArray(), (name, hash) => (name, hex: hash.ToString()))
            .Where(p => expected.ContainsKey(p.name)).ToDictionary(p => p.name, p => p.hex);
        actual.Count.ShouldBe(8);
        actual.ShouldBe(expected);
    }

    public static TheoryData<string, string, int> ShippedPairs()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var row in Vectors.Rows("pairs.tsv").Where(r => Vectors.Shipped(r["file_a"]) && Vectors.Shipped(r["file_b"])))
        {
            data.Add(row["file_a"], row["file_b"], int.Parse(row["distance"], CultureInfo.InvariantCulture));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedPairs))]
    public void PairsRow_Distance_AsTheReference(string fileA, string fileB, int distance)
    {
        var a = PdqImage.HashFile(Vectors.PathOf(fileA)).Hash;
        var b = PdqImage.HashFile(Vectors.PathOf(fileB)).Hash;

        a.DistanceTo(b).ShouldBe(distance);
    }

    [Fact]
    public void ExifOrientation_IsIgnored_AsTheReference()
    {
        var plain = PdqImage.HashFile(Vectors.PathOf("images/labelme-subset__q0122.jpg")).Hash;
        var tagged = PdqImage.HashFile(Vectors.PathOf("images/exif6__labelme-subset__q0122.jpg")).Hash;

        tagged.ShouldBe(plain);
    }
}
