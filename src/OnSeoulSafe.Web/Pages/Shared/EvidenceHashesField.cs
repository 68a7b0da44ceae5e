using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>
/// Model of the hash-only evidence partial (<c>_EvidenceHashes.cshtml</c>).
/// <paramref name="Prefix"/> is the bound property the hashes post to (a <c>List&lt;SubmittedHash&gt;</c>, e.g. "Input.Evidence");
/// <paramref name="Current"/> re-renders hashes already computed, so a failed submit loses nothing.
/// </summary>
public sealed record EvidenceHashesField(string Prefix, bool Multiple, IReadOnlyList<SubmittedHash> Current);

/// <summary>
/// Limits of a form that carries evidence hashes, above the portal's default 256 KB: an hour of video frame hashes is
/// one value of about 160 KB (<see cref="VideoFrameHashes"/>). Put on the page model:
/// <c>[RequestSizeLimit(EvidenceForm.MaxBodyBytes), RequestFormLimits(ValueLengthLimit = EvidenceForm.MaxValueLength)]</c>.
/// </summary>
public static class EvidenceForm
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxValueLength = 256 * 1024;
}
