namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Free text as stored: trimmed, control characters removed (line breaks and tabs kept), empty as null.</summary>
public static class TextInput
{
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var cleaned = new string(value.Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
