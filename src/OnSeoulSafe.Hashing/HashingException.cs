namespace OnSeoulSafe.Hashing;

/// <summary>Why a file could not be hashed perceptually. Its SHA-256 can always be taken; only exact copies are then recognised.</summary>
public enum HashingFailure
{
    /// <summary>The file has no bytes.</summary>
    Empty,

    /// <summary>Neither a picture format the decoder knows nor a video.</summary>
    UnknownFormat,

    /// <summary>A known format whose data is damaged or cut short.</summary>
    Corrupt,

    /// <summary>More pixels (or a longer frame) than the limit: refused before any pixel memory is taken.</summary>
    TooLarge,

    /// <summary>Video decoding took longer than allowed, or was cancelled by the caller's limit.</summary>
    TimedOut,

    /// <summary>ffmpeg/ffprobe are not installed (video only).</summary>
    ToolMissing,
}

/// <summary>
/// A file that could not be hashed, with the reason. The message describes the file's shape (format, dimensions),
/// never its name, place or content, so it can be logged.
/// </summary>
public sealed class HashingException : Exception
{
    public HashingException(HashingFailure reason, string message)
        : base(message) => Reason = reason;

    public HashingException(HashingFailure reason, string message, Exception inner)
        : base(message, inner) => Reason = reason;

    public HashingException()
        : this(HashingFailure.Corrupt, "The file could not be hashed.")
    {
    }

    public HashingException(string message)
        : this(HashingFailure.Corrupt, message)
    {
    }

    public HashingException(string message, Exception innerException)
        : this(HashingFailure.Corrupt, message, innerException)
    {
    }

    public HashingFailure Reason { get; }
}
