using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Notifications;

/// <summary>A notice's subject and text: fixed sentences with no reference, name, narrative or address in them.</summary>
public sealed record PersonNoticeMessage(string Key, string Subject, string Text);

/// <summary>
/// The only texts notices to people carry. A companion reads "a new message on one of your cases"; a victim reads
/// that there is news, and the center's name only when she allowed it. Nothing in them says which case, whose, or what.
/// </summary>
public static class PersonNoticeText
{
    public static PersonNoticeMessage Compose(PersonNotice notice, string language, bool nameTheCenter, string centerName)
    {
        var korean = language != "en";
        if (notice.Kind == PersonNoticeKind.CompanionUnread)
        {
            return korean
                ? new(notice.Key, "새 메시지 알림", "담당 사례 중 한 곳에 새 메시지가 있습니다. 포털에 로그인해 확인해 주세요.")
                : new(notice.Key, "New message", "There is a new message on one of your cases. Please sign in to the portal to read it.");
        }
        if (nameTheCenter)
        {
            return korean
                ? new(notice.Key, centerName, $"{centerName}: 새 소식이 있습니다. 편하실 때 확인해 주세요.")
                : new(notice.Key, centerName, $"{centerName}: there is news for you. Have a look when it suits you.");
        }
        return korean
            ? new(notice.Key, "알림", "새 소식이 있습니다. 편하실 때 확인해 주세요.")
            : new(notice.Key, "Reminder", "There is news for you. Have a look when it suits you.");
    }
}
