using System.Security.Cryptography;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Tests.Protection;

public sealed class FieldCipherTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Encrypt_RoundTrips_AndHidesThePlaintext()
    {
        using var cipher = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1 }, 1);

        var stored = cipher.Encrypt("피해 내용 narrative");

        System.Text.Encoding.UTF8.GetString(stored).ShouldNotContain("narrative");
        cipher.Decrypt(stored).ShouldBe("피해 내용 narrative");
    }

    [Fact]
    public void RowsWrittenUnderAnOldKey_StillDecrypt_AfterRotation()
    {
        using var before = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1 }, 1);
        var old = before.Encrypt("old row");

        using var after = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1, [2] = Key2 }, 2);

        after.Decrypt(old).ShouldBe("old row");
        FieldCipher.KeyIdOf(after.Encrypt("new row")).ShouldBe(2);
    }

    [Fact]
    public void ManyThreadsAtOnce_EachReadBackWhatTheyWrote_UnderBothKeys()
    {
        using var before = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1 }, 1);
        using var cipher = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1, [2] = Key2 }, 2);
        var texts = Enumerable.Range(0, 2_000).Select(i => $"field {i} {new string('x', i % 300)}").ToArray();
        var oldRows = texts.Select(before.Encrypt).ToArray();
        var read = new string[texts.Length];
        var readOld = new string[texts.Length];

        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            read[i] = cipher.Decrypt(cipher.Encrypt(texts[i]));
            readOld[i] = cipher.Decrypt(oldRows[i]);
        });

        read.ShouldBe(texts);
        readOld.ShouldBe(texts);
    }

    [Fact]
    public void TamperedCiphertext_FailsClosed()
    {
        using var cipher = new FieldCipher(new Dictionary<int, byte[]> { [1] = Key1 }, 1);
        var stored = cipher.Encrypt("text");
        stored[^1] ^= 0x01;

        Should.Throw<CryptographicException>(() => cipher.Decrypt(stored));
    }

    [Fact]
    public void AccessCode_IsEightyBitsOfCrockfordBase32_AndNormalisesLookAlikes()
    {
        var code = AccessCode.Generate();

        code.Length.ShouldBe(16);
        AccessCode.Normalise(AccessCode.Format(code).ToLowerInvariant()).ShouldBe(code);
        AccessCode.Normalise("oooo-iiii-llll-0000").ShouldBe("0000111111110000");
        AccessCode.Normalise("too-short").ShouldBeNull();
        AccessCode.Normalise("UUUU-UUUU-UUUU-UUUU").ShouldBeNull(); // U is not in the alphabet
    }

    [Fact]
    public void AccessCodeHash_IsKeyed_AndBoundToTheReference()
    {
        var a = new Fingerprints(RandomNumberGenerator.GetBytes(32));
        var b = new Fingerprints(RandomNumberGenerator.GetBytes(32));

        a.AccessCode("SDS-2026-000001", "ABCD").ShouldNotBe(b.AccessCode("SDS-2026-000001", "ABCD"));
        a.AccessCodeMatches("SDS-2026-000002", "ABCD", a.AccessCode("SDS-2026-000001", "ABCD")).ShouldBeFalse();
        a.AccessCodeMatches("SDS-2026-000001", "ABCD", a.AccessCode("SDS-2026-000001", "ABCD")).ShouldBeTrue();
    }
}
