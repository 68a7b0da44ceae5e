using System.Security.Cryptography;

namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// A staff member's calendar feed (ICS) behind a secret address. The address carries a random token; only its
/// SHA-256 is kept, so the database cannot give the address away. Renewing gives a new token (the old address stops
/// at once); revoking stops the feed until it is renewed. The feed names only case numbers and the kind of each date.
/// </summary>
public sealed class CalendarFeed
{
    private CalendarFeed() { }

    public Guid StaffId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>A new feed for <paramref name="staffId"/>; the token is returned once and never stored.</summary>
    public static (CalendarFeed Feed, string Token) Open(Guid staffId, DateTimeOffset now)
    {
        var feed = new CalendarFeed { StaffId = staffId };
        return (feed, feed.Renew(now));
    }

    /// <summary>Replaces the token: the old address stops working. Returns the new token (256 random bits).</summary>
    public string Renew(DateTimeOffset now)
    {
        var token = Base64UrlToken(RandomNumberGenerator.GetBytes(32));
        TokenHash = HashOf(token);
        CreatedAt = now;
        RevokedAt = null;
        return token;
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public static byte[] HashOf(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    /// <summary>Tokens are 43 characters of the URL-safe base64 alphabet; anything else is not looked up.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlToken(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
