using System.Text;

namespace VideoAkka.Host.Submit;

/// <summary>Text from a file or the network, made safe to print: control characters (a terminal escape sequence in a
/// hostile error message) become spaces, and it is cut to a readable length.</summary>
public static class Printable
{
    public static string Of(string? text, int limit = 400)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var safe = new StringBuilder(Math.Min(text.Length, limit + 1));
        foreach (var c in text)
        {
            if (safe.Length == limit)
            {
                return safe.Append('…').ToString();
            }
            safe.Append(char.IsControl(c) ? ' ' : c);
        }
        return safe.ToString();
    }
}
