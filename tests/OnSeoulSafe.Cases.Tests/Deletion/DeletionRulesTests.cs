using System.Net;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Tests.Domain;

namespace OnSeoulSafe.Cases.Tests.Deletion;

public sealed class DeletionRulesTests
{
    private static Platform Tube() => new("ExampleTube", ["video.example.com"], RequestChannel.WebForm, null,
        "{reference} 사례 삭제 요청 ({date})\n{links}\n근거: {legal_basis}",
        "Removal request for case {reference} ({date})\n{links}\nBasis: {legal_basis}");

    private static readonly string[] Links = ["https://video.example.com/watch/a", "https://video.example.com/watch/b"];

    [Fact]
    public void Request_text_in_Korean_fills_every_placeholder()
    {
        var text = DeletionRequestText.Compose(Tube(), "ko", "SDS-2026-000123", Links, new DateOnly(2026, 3, 2), concernsMinor: false, victimName: null);

        text.ShouldBe("SDS-2026-000123 사례 삭제 요청 (2026-03-02)\n- https://video.example.com/watch/a\n- https://video.example.com/watch/b\n근거: "
            + DeletionRequestText.LegalBasis("ko", false));
        text.ShouldContain("정보통신망");
    }

    [Fact]
    public void Request_text_in_English_uses_the_English_template_and_basis()
    {
        var text = DeletionRequestText.Compose(Tube(), "en", "SDS-2026-000123", Links, new DateOnly(2026, 3, 2), concernsMinor: true, victimName: null);

        text.ShouldStartWith("Removal request for case SDS-2026-000123 (2026-03-02)");
        text.ShouldContain("- https://video.example.com/watch/b");
        text.ShouldContain("Protection of Children and Youth");
        text.ShouldNotContain("{");
    }

    [Fact]
    public void A_case_without_name_consent_gives_no_name_in_the_request()
    {
        var @case = new CaseBuilder().WithNickname("Minji").Build();
        @case.GiveConsent(ServiceTrackKind.Deletion, null, CaseBuilder.Now);

        @case.NameForDeletionRequests.ShouldBeNull();
        var text = DeletionRequestText.Compose(Tube(), "en", @case.Reference, Links, new DateOnly(2026, 3, 2), false, @case.NameForDeletionRequests);
        text.ShouldNotContain("Minji");
    }

    [Fact]
    public void Name_consent_without_deletion_consent_still_gives_no_name()
    {
        var @case = new CaseBuilder().WithNickname("Minji").Build();
        @case.SetNameInDeletionRequests(true, CaseBuilder.Now);

        @case.NameForDeletionRequests.ShouldBeNull();
    }

    [Theory]
    [InlineData("ko", "피해 당사자: Minji")]
    [InlineData("en", "Person concerned: Minji")]
    public void With_consent_the_request_carries_the_chosen_name(string language, string line)
    {
        var @case = new CaseBuilder().WithNickname("Minji").Build();
        @case.GiveConsent(ServiceTrackKind.Deletion, null, CaseBuilder.Now);
        @case.SetNameInDeletionRequests(true, CaseBuilder.Now);

        var text = DeletionRequestText.Compose(Tube(), language, @case.Reference, Links, new DateOnly(2026, 3, 2), false, @case.NameForDeletionRequests);

        text.ShouldEndWith(line);
    }

    [Fact]
    public void A_victim_placeholder_reads_neutrally_without_consent()
    {
        var platform = new Platform("P", ["p.example"], RequestChannel.Email, "a@p.example", "{victim}의 요청: {links}", "On behalf of {victim}: {links}");

        DeletionRequestText.Compose(platform, "en", "R", Links, new DateOnly(2026, 1, 1), false, null).ShouldStartWith("On behalf of the person concerned:");
        DeletionRequestText.Compose(platform, "ko", "R", Links, new DateOnly(2026, 1, 1), false, "민지").ShouldStartWith("민지의 요청:");
    }

    [Theory]
    [InlineData("https://video.example.com/watch/1", "ExampleTube")]
    [InlineData("https://m.video.example.com/watch/1", "ExampleTube")]
    [InlineData("https://kids.video.example.com/watch/1", "KidsTube")]
    [InlineData("https://VIDEO.EXAMPLE.COM./x", "ExampleTube")]
    [InlineData("https://evilvideo.example.com/x", null)]
    [InlineData("https://example.com.evil.example/x", null)]
    public void Platform_is_matched_by_host_most_specific_first(string url, string? expected)
    {
        var platforms = new[]
        {
            Tube(),
            new Platform("KidsTube", ["kids.video.example.com"], RequestChannel.WebForm, null, "", ""),
            new Platform("Retired", ["example.com.evil.example"], RequestChannel.WebForm, null, "", ""),
        };
        platforms[2].Update("Retired", ["example.com.evil.example"], RequestChannel.WebForm, null, "", "", null, isActive: false);

        PlatformMatching.Find(platforms, ContentLinks.Normalise(url)!)?.Name.ShouldBe(expected);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    public void Non_public_addresses_are_refused(string address)
    {
        AddressRules.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address)
    {
        AddressRules.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();
    }

    [Fact]
    public void Refused_then_requested_again_then_no_answer_keeps_every_request()
    {
        var item = new ContentItem(1, "https://video.example.com/x", new byte[32], 1, ContentKind.Video, ContentFinder.Victim, false, CaseBuilder.Now);

        item.RequestDeletion(1, RequestChannel.WebForm, "ko", null, CaseBuilder.Now.AddHours(1));
        item.RecordOutcome(ContentStatus.Refused, null, CaseBuilder.Now.AddDays(1));
        item.RequestDeletion(1, RequestChannel.Email, "en", null, CaseBuilder.Now.AddDays(2));
        item.RecordOutcome(ContentStatus.NoResponse, null, CaseBuilder.Now.AddDays(9));

        item.Requests.Select(r => r.Outcome).ShouldBe([ContentStatus.Refused, ContentStatus.NoResponse]);
        Should.Throw<DomainRuleException>(() => item.RecordOutcome(ContentStatus.VerifiedGone, null, CaseBuilder.Now)).Rule.ShouldBe("content.outcome");
    }

    [Fact]
    public void A_found_link_cannot_be_marked_deleted_before_it_is_requested()
    {
        var item = new ContentItem(1, "https://video.example.com/x", new byte[32], 1, ContentKind.Video, ContentFinder.Victim, false, CaseBuilder.Now);

        Should.Throw<DomainRuleException>(() => item.RecordOutcome(ContentStatus.Deleted, null, CaseBuilder.Now)).Rule.ShouldBe("content.transition");
        item.Status.ShouldBe(ContentStatus.Found);
    }

    [Fact]
    public void A_reappeared_link_opens_a_new_request()
    {
        var item = new ContentItem(1, "https://video.example.com/x", new byte[32], 1, ContentKind.Video, ContentFinder.Victim, false, CaseBuilder.Now);
        item.RequestDeletion(1, RequestChannel.WebForm, "ko", null, CaseBuilder.Now.AddHours(1));
        item.ApplyRecheck(RecheckOutcome.Gone, null, CaseBuilder.Now.AddDays(1));
        item.ApplyRecheck(RecheckOutcome.StillUp, null, CaseBuilder.Now.AddDays(5));

        item.RequestDeletion(1, RequestChannel.WebForm, "ko", null, CaseBuilder.Now.AddDays(5));

        item.Requests.Count.ShouldBe(2);
        item.OpenRequest.ShouldBe(item.Requests[1]);
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("zz0000000000000000000000000000000000000000000000000000000000000z")]
    [InlineData("abc")]
    [InlineData("")]
    public void Evidence_takes_only_a_sha256(string value)
    {
        EvidenceHash.IsSha256(value).ShouldBeFalse();
        Should.Throw<DomainRuleException>(() => new EvidenceHash(1, value, ContentKind.Image, null, CaseBuilder.Now));
    }
}
