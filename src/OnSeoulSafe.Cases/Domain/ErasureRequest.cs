namespace OnSeoulSafe.Cases.Domain;

/// <summary>A victim's request to erase their data: approved by two different managers before anything is removed.</summary>
public sealed class ErasureRequest
{
    private ErasureRequest() { }

    public ErasureRequest(long caseId, DateTimeOffset now)
    {
        CaseId = caseId;
        RequestedAt = now;
        Status = ErasureStatus.Requested;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public ErasureStatus Status { get; private set; }
    public Guid? FirstApproverId { get; private set; }
    public DateTimeOffset? FirstApprovedAt { get; private set; }
    public Guid? SecondApproverId { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? RejectionReason { get; private set; }

    public void Approve(Guid managerId, DateTimeOffset now)
    {
        switch (Status)
        {
            case ErasureStatus.Requested:
                FirstApproverId = managerId;
                FirstApprovedAt = now;
                Status = ErasureStatus.FirstApproval;
                break;
            case ErasureStatus.FirstApproval when FirstApproverId == managerId:
                throw new DomainRuleException("erasure.same-approver", "A second, different manager must approve the erasure.");
            case ErasureStatus.FirstApproval:
                SecondApproverId = managerId;
                CompletedAt = now;
                Status = ErasureStatus.Completed;
                break;
            default:
                throw new DomainRuleException("erasure.state", $"An erasure request in status {Status} cannot be approved.");
        }
    }

    /// <summary>The request is still waiting for its approvals, so the victim may still cancel it.</summary>
    public bool IsPending => Status is ErasureStatus.Requested or ErasureStatus.FirstApproval;

    /// <summary>The victim changed their mind before the second approval: nothing is erased, and the managers' queue drops it.</summary>
    public void Cancel(DateTimeOffset now)
    {
        if (!IsPending)
        {
            throw new DomainRuleException("erasure.state", $"An erasure request in status {Status} cannot be cancelled.");
        }
        CompletedAt = now;
        Status = ErasureStatus.Cancelled;
    }

    public void Reject(Guid managerId, string reason, DateTimeOffset now)
    {
        if (!IsPending)
        {
            throw new DomainRuleException("erasure.state", $"An erasure request in status {Status} cannot be rejected.");
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        FirstApproverId ??= managerId;
        RejectionReason = reason.Trim();
        CompletedAt = now;
        Status = ErasureStatus.Rejected;
    }
}
