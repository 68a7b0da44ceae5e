using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Shared;

/// <summary>The English wording (the localizer key) of deletion support's enum values.</summary>
public static class DeletionLabels
{
    public static string Of(ContentKind kind) => kind switch
    {
        ContentKind.Video => "Video",
        ContentKind.Image => "Image",
        ContentKind.Post => "Post",
        _ => "Other",
    };

    public static string Of(RequestChannel channel) => channel switch
    {
        RequestChannel.WebForm => "Web form",
        RequestChannel.Email => "E-mail",
        _ => "Trusted flagger",
    };

    public static string Of(ContentStatus status) => status switch
    {
        ContentStatus.Found => "Found",
        ContentStatus.Requested => "Deletion requested",
        ContentStatus.Deleted => "Deleted",
        ContentStatus.Refused => "Refused",
        ContentStatus.NoResponse => "No response",
        ContentStatus.VerifiedGone => "Verified gone",
        _ => "Reappeared",
    };

    public static string Of(ContentFinder finder) => finder switch
    {
        ContentFinder.Victim => "Victim",
        ContentFinder.Companion => "Support companion",
        ContentFinder.CitizenMonitor => "Citizen monitor",
        ContentFinder.Monitoring => "Found by monitoring",
        _ => "Re-check",
    };

    public static string Of(HashKind kind) => kind switch
    {
        HashKind.PdqImage => "Picture (PDQ)",
        HashKind.PdqVideoFrame => "Video (PDQ per second)",
        _ => "Exact file (SHA-256)",
    };

    public static string Of(HashSupplier supplier) => supplier switch
    {
        HashSupplier.Victim => "Victim",
        HashSupplier.Companion => "Support companion",
        HashSupplier.Monitor => "Citizen monitor",
        _ => "Re-check",
    };

    public static string Of(RecheckOutcome outcome) => outcome switch
    {
        RecheckOutcome.Gone => "Gone",
        RecheckOutcome.StillUp => "Still online",
        RecheckOutcome.Unreachable => "Unreachable",
        _ => "Not checked (address refused)",
    };
}
