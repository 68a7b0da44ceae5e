using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Intake;

/// <summary>How a report came, in the English keys of <see cref="Resources.StaffIntakeText"/>.</summary>
public static class StaffIntakeLabels
{
    public static string Of(IntakeChannel channel) => channel switch
    {
        IntakeChannel.Phone => "Phone",
        IntakeChannel.Visit => "Visit",
        _ => "Web report",
    };
}
