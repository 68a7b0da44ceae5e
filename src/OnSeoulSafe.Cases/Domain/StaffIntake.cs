namespace OnSeoulSafe.Cases.Domain;

/// <summary>How a report reached the center: the victim's own web report, a call to the center's line, or a visit.</summary>
public enum IntakeChannel { Web, Phone, Visit }

/// <summary>
/// A report a staff member took on the caller's behalf, by phone or at the center: how it came and who took it.
/// The case is opened through the same <see cref="Case.Open"/> as a web report; this only says who typed it.
/// </summary>
public sealed record StaffIntake
{
    public StaffIntake(IntakeChannel channel, Guid staffId)
    {
        if (channel == IntakeChannel.Web)
        {
            throw new DomainRuleException("intake.staff.channel", "A report taken by staff came by phone or in person, not through the web form.");
        }
        if (!Enum.IsDefined(channel))
        {
            throw new DomainRuleException("intake.staff.channel", "Unknown intake channel.");
        }
        if (staffId == Guid.Empty)
        {
            throw new ArgumentException("The staff member who took the report is needed.", nameof(staffId));
        }
        Channel = channel;
        StaffId = staffId;
    }

    public IntakeChannel Channel { get; }

    /// <summary>The staff member who took the report and heard the caller's consents.</summary>
    public Guid StaffId { get; }
}
