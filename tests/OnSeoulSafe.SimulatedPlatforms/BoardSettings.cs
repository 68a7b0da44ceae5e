namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>What a board's notice endpoint does with a removal notice.</summary>
public enum NoticeAnswer
{
    /// <summary>Accepts with a ticket and removes the named content after the board's delay.</summary>
    RemoveAfterDelay,

    /// <summary>Answers 422 with a reason and keeps the content.</summary>
    Refuse,

    /// <summary>Accepts the connection and never answers.</summary>
    NeverAnswer,
}

/// <summary>What the e-mail inbox does with a message.</summary>
public enum InboxAnswer { Accept, Reject, Stall }

/// <summary>
/// One simulated board: its posts show the demo pictures <see cref="FirstPicture"/> onwards (changed copies, in
/// <c>img</c>, <c>og:image</c>, <c>video</c>/<c>source</c> and direct links). A hostile board also links to a
/// 50 MB page, an endless redirect chain, a slow drip, a "picture" that is HTML and a video that never ends.
/// </summary>
public sealed record BoardSettings(string Name, NoticeAnswer Notices = NoticeAnswer.RemoveAfterDelay, int Posts = 3, int FirstPicture = 0, bool Hostile = false)
{
    public TimeSpan RemovalDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>False: posts are text alone (no pictures or videos), for a crawl of pages only.</summary>
    public bool Media { get; init; } = true;

    /// <summary>0: a free port chosen at start-up.</summary>
    public int Port { get; init; }
}

public sealed record SimulatedPlatformsSettings(IReadOnlyList<BoardSettings> Boards)
{
    /// <summary>0: a free port chosen at start-up.</summary>
    public int InboxPort { get; init; }

    public InboxAnswer Inbox { get; init; } = InboxAnswer.Accept;

    /// <summary>The boards <c>./build.sh run</c> starts: one that removes, one that refuses, one that never answers, one hostile.</summary>
    public static SimulatedPlatformsSettings Demo(int firstPort, int inboxPort) => new(
    [
        new BoardSettings("lanternboard", NoticeAnswer.RemoveAfterDelay, Posts: 4, FirstPicture: 0) { Port = firstPort, RemovalDelay = TimeSpan.FromMinutes(2) },
        new BoardSettings("harbourclips", NoticeAnswer.Refuse, Posts: 3, FirstPicture: 4) { Port = firstPort + 1 },
        new BoardSettings("quietpost", NoticeAnswer.NeverAnswer, Posts: 3, FirstPicture: 7) { Port = firstPort + 2 },
        new BoardSettings("tangleweb", NoticeAnswer.RemoveAfterDelay, Posts: 1, FirstPicture: 10, Hostile: true) { Port = firstPort + 3 },
    ])
    { InboxPort = inboxPort };
}
