namespace OnSeoulSafe.Web.Pages.Audit;

/// <summary>
/// What an access-log row's page was, in words an auditor reads (English keys of the AuditText resources), from the
/// page path the log records (<c>/Cases/File#Message</c>, <c>Status/Recover#Ask</c>). The path stays in the log as
/// written: these words only explain it.
/// </summary>
public static class AuditWords
{
    private static readonly Dictionary<string, string> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Cases/File"] = "The case file",
        ["Cases/Track"] = "A service track of the case",
        ["Cases/Deletion"] = "The case's deletion ledger",
        ["Cases/Close"] = "Closing the case",
        ["Cases/Recovery"] = "A lost code recovery",
        ["Cases/BreakTheGlass"] = "Break the glass",
        ["Cases/Index"] = "My cases list",
        ["Cases/Agenda"] = "The agenda of appointments",
        ["Cases/DeletionQueue"] = "The deletion request queue",
        ["Cases/Search"] = "The case search",
        ["Cases/DeletionByPlatform"] = "Deletion requests by platform",
        ["Intake/Assign"] = "Assignment of the case",
        ["Intake/Caseload"] = "Handover of a caseload",
        ["Intake/Erasure"] = "An erasure request",
        ["Intake/MonitorReports"] = "A citizen monitor's report",
        ["Status/Case"] = "The victim's status page",
        ["Status/Written"] = "What the victim wrote",
        ["Status/Links"] = "The victim's links",
        ["Status/Contact"] = "The victim's contact preferences",
        ["Status/Consents"] = "The victim's consents",
        ["Status/Withdraw"] = "Stopping support or erasure",
        ["Status/Amend"] = "The victim's addition to her account",
        ["Status/Recover"] = "A lost code recovery",
        ["Status/Index"] = "The victim's sign-in",
        ["Status/Guardians"] = "The minor's guardians",
        ["Admin/MinorsPractice"] = "The practice for minors",
    };

    /// <summary>The English key for the page of <paramref name="what"/>; "Other page" when the path is not known.</summary>
    public static string Of(string what)
    {
        var path = what.Split('#', ':')[0].Trim('/');
        return Pages.TryGetValue(path, out var words) ? words : "Other page";
    }
}
