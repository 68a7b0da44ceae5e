using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class CaseReferenceTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void New_references_are_prefixed_grouped_random_and_valid()
    {
        var references = Enumerable.Range(0, 2000).Select(_ => CaseReference.New()).ToList();

        references.ShouldAllBe(r => r.Length == 15 && r.StartsWith("SDS-") && r[8] == '-' && r[13] == '-');
        references.ShouldAllBe(r => CaseReference.IsValid(r));
        references.Distinct().Count().ShouldBe(references.Count);
        // Every character of the random part takes every value: nothing fixed, nothing counted up.
        for (var position = 4; position < 13; position++)
        {
            if (position == 8) continue;
            references.Select(r => r[position]).Distinct().Count().ShouldBe(32, $"position {position}");
        }
    }

    [Fact]
    public void Every_single_mistyped_character_is_caught_by_the_check_character()
    {
        var reference = CaseReference.From("7KQ2M9XD");
        var positions = Enumerable.Range(0, reference.Length).Where(i => i >= 4 && reference[i] != '-').ToList();

        foreach (var i in positions)
        {
            foreach (var wrong in Alphabet.Where(c => c != reference[i]))
            {
                var typo = reference[..i] + wrong + reference[(i + 1)..];
                CaseReference.Read(typo).Verdict.ShouldBe(ReferenceVerdict.CheckFailed, typo);
            }
        }
        positions.Count.ShouldBe(9);
    }

    [Fact]
    public void Most_swaps_of_two_neighbours_are_caught()
    {
        var caught = 0;
        var swaps = 0;
        for (var n = 0; n < 500; n++)
        {
            var reference = CaseReference.New();
            var body = reference[4..8] + reference[9..13] + reference[14];
            for (var i = 0; i < body.Length - 1; i++)
            {
                if (body[i] == body[i + 1]) continue;
                var swapped = body[..i] + body[i + 1] + body[i] + body[(i + 2)..];
                swaps++;
                if (CaseReference.Read("SDS-" + swapped).Verdict == ReferenceVerdict.CheckFailed) caught++;
            }
        }
        ((double)caught / swaps).ShouldBeGreaterThan(0.9);
    }

    [Theory]
    [InlineData("sds-7kq2-m9xd-{0}")]
    [InlineData("SDS 7KQ2 M9XD {0}")]
    [InlineData("7KQ2M9XD{0}")]
    [InlineData(" SDS-7KQ2-M9XD-{0} ")]
    public void What_a_person_types_is_read_forgivingly(string typed)
    {
        var reference = CaseReference.From("7KQ2M9XD");

        var reading = CaseReference.Read(string.Format(System.Globalization.CultureInfo.InvariantCulture, typed, reference[^1]));

        reading.ShouldBe(new ReferenceReading(ReferenceVerdict.Valid, reference));
    }

    [Fact]
    public void Look_alike_letters_are_read_as_the_digits_they_resemble()
    {
        var reference = CaseReference.From("01010101");

        CaseReference.Read(reference.Replace('0', 'O').Replace('1', 'l')).Reference.ShouldBe(reference);
    }

    [Theory]
    [InlineData("SDS-2026-000123", "SDS-2026-000123")]
    [InlineData("sds 2026 000123", "SDS-2026-000123")]
    public void References_of_the_earlier_format_stay_valid(string typed, string expected) =>
        CaseReference.Read(typed).ShouldBe(new ReferenceReading(ReferenceVerdict.Valid, expected));

    [Theory]
    [InlineData("")]
    [InlineData("SDS-")]
    [InlineData("SDS-7KQ2-M9XD")]
    [InlineData("SDS-7KQ2-M9XD-RR")]
    [InlineData("SDS-7KQ2-M9XU-R")]
    [InlineData("hello")]
    public void Anything_else_is_not_a_reference(string typed) =>
        CaseReference.Read(typed).Verdict.ShouldBe(ReferenceVerdict.Malformed);
}
