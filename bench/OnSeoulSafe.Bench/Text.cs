using System.Text;

namespace OnSeoulSafe.Bench;

/// <summary>Made-up report text of a given length (Korean and English, as victims write).</summary>
public static class Text
{
    private const string Sentence = "헤어진 연인이 동의 없이 찍은 영상을 여러 사이트에 올렸고 친구들에게 링크를 보냈습니다. He threatened to post more. ";

    public static string Narrative(int length)
    {
        var text = new StringBuilder(length + Sentence.Length);
        while (text.Length < length) text.Append(Sentence);
        // Ends on a letter, so the portal's trimming keeps every character.
        return text.ToString(0, length - 1) + ".";
    }
}
