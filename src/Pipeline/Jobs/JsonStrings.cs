using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// JSON allows escapes of lone surrogates ("\ud800") that no .NET string can hold: JsonDocument accepts them, and
/// reading or re-serializing such a string throws. A stored payload must hold none, in any field.
/// </summary>
public static class JsonStrings
{
    /// <returns>The path of the first string or property name that is not valid Unicode, or null.</returns>
    /// <remarks>The path is put together only for the string that fails, on the way back out: building it for every
    /// element on the way in cost time in the body's size times its depth (a 1 MiB body of nested arrays took
    /// seconds).</remarks>
    public static string? FindInvalid(JsonElement element, string path)
    {
        var trail = new Stack<string>();
        return IsValid(element, trail) ? null : path + string.Concat(trail);
    }

    /// <param name="trail">Filled, innermost segment first, only when the element is not valid.</param>
    private static bool IsValid(JsonElement element, Stack<string> trail)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValid(item, trail))
                    {
                        trail.Push($"[{index}]");
                        return false;
                    }
                    index++;
                }
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(property))
                    {
                        return false; // the name itself: the object's path is the one to show
                    }
                    if (!IsValid(property.Value, trail))
                    {
                        trail.Push("." + property.Name);
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    /// <summary>A string is unreadable when its bytes are not UTF-8 (overlong forms, encoded surrogates, stray bytes:
    /// the JSON reader lets them through) or a \u escape makes a lone surrogate. Valid bytes without an escape are the
    /// common case and are checked without unescaping the string.</summary>
    private static bool Readable(JsonElement text)
    {
        if (IsPlainUtf8(JsonMarshal.GetRawUtf8Value(text)))
        {
            return true;
        }
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Readable(JsonProperty property)
    {
        if (IsPlainUtf8(JsonMarshal.GetRawUtf8PropertyName(property)))
        {
            return true;
        }
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsPlainUtf8(ReadOnlySpan<byte> raw) => raw.IndexOf("\\u"u8) < 0 && Utf8.IsValid(raw);
}
