namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Free text as stored: trimmed, control characters removed (line breaks and tabs kept), empty as null.</summary>
public static class TextInput
{
    /// <summary>Characters as a text box counts them: a line break (CR LF when posted) is one.</summary>
    public static int Length(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        var length = value.Length;
        for (var i = value.IndexOf("\r\n", StringComparison.Ordinal); i >= 0; i = value.IndexOf("\r\n", i + 2, StringComparison.Ordinal)) length--;
        return length;
    }

    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var cleaned = new string(value.Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
