using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>Hash-only evidence in a real browser: the file stays on the device, only its SHA-256 reaches the portal.</summary>
[Collection(PortalCollection.Name)]
public sealed class EvidenceHashTests(PortalServer portal)
{
    [Fact]
    public async Task A_file_picked_in_the_intake_is_sent_as_its_SHA_256_and_never_as_bytes()
    {
        // Arrange: a small generated "image" with a marker no hash or form field could contain by chance.
        var marker = "EVIDENCE-BYTES-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var bytes = Encoding.ASCII.GetBytes(marker).Concat(RandomNumberGenerator.GetBytes(3000)).Concat(Encoding.ASCII.GetBytes(marker)).ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var page = await portal.NewPageAsync("en-US");
        var posts = new ConcurrentQueue<(string Url, string? ContentType, byte[] Body)>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST") posts.Enqueue((request.Url, request.Headers.GetValueOrDefault("content-type"), request.PostDataBuffer ?? []));
        };

        // Act
        var (reference, _) = await Intake.FileAsync(page, evidence: new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = bytes });

        // Assert: every step was posted as a plain form; none carried the file, the last carried its hash.
        var sent = posts.Where(p => new Uri(p.Url).AbsolutePath == "/report").ToList();
        sent.Count.ShouldBe(4);
        foreach (var (_, contentType, body) in sent)
        {
            contentType.ShouldStartWith("application/x-www-form-urlencoded");
            Encoding.Latin1.GetString(body).ShouldNotContain(marker);
            Encoding.Latin1.GetString(body).ShouldNotContain(Convert.ToBase64String(bytes[..48]));
        }
        var submitted = Uri.UnescapeDataString(Encoding.UTF8.GetString(sent[^1].Body).Replace('+', ' '));
        submitted.ShouldContain($"Input.Evidence[0].Sha256={expected}");
        submitted.ShouldContain($"Input.Evidence[0].SizeBytes={bytes.Length}");
        var stored = await portal.WithDbAsync(db => db.EvidenceHashes.Where(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)).ToListAsync());
        var hash = stored.ShouldHaveSingleItem();
        hash.Sha256.ShouldBe(expected);
        hash.SizeBytes.ShouldBe(bytes.Length);
        hash.Kind.ShouldBe(OnSeoulSafe.Cases.Domain.ContentKind.Image);
    }
}
