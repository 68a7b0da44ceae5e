using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>
/// Model of the hash-only evidence partial (<c>_EvidenceHashes.cshtml</c>).
/// <paramref name="Prefix"/> is the bound property the hashes post to (a <c>List&lt;SubmittedHash&gt;</c>, e.g. "Input.Evidence");
/// <paramref name="Current"/> re-renders hashes already computed, so a failed submit loses nothing.
/// </summary>
public sealed record EvidenceHashesField(string Prefix, bool Multiple, IReadOnlyList<SubmittedHash> Current);
