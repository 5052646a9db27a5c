using System.Text.Json;
using System.Text.RegularExpressions;
using VideoAkka.Pipeline.Media.Captions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Reads options.subtitles: {"mode": "sentence" | "karaoke" | "word", "style": {...}}. Unknown fields are refused
/// rather than ignored: a misspelt "primary_color" would otherwise be a style that silently does nothing.
/// </summary>
public static partial class SubtitleOptionsParser
{
    public const int MinSize = 8, MaxSize = 400, MaxMargin = 900, MinChars = 8, MaxChars = 80;
    public const double MaxOutline = 20;

    private static readonly string[] Fields = ["mode", "style"];
    private static readonly string[] StyleFields =
        ["font", "size", "primary_colour", "outline_colour", "highlight_colour", "outline", "box", "box_colour", "position", "margin", "uppercase", "max_chars", "max_lines"];

    public static CaptionOptions? Read(JsonElement options, List<ValidationError> errors)
    {
        const string path = "options.subtitles";
        if (!options.TryGetProperty("subtitles", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object {\"mode\", \"style\"}"));
            return null;
        }
        var before = errors.Count;
        RefuseUnknown(value, path, Fields, errors);
        var mode = CaptionMode.Sentence;
        if (value.TryGetProperty("mode", out var modeValue) && modeValue.ValueKind != JsonValueKind.Null)
        {
            switch (modeValue.ValueKind == JsonValueKind.String ? modeValue.GetString() : null)
            {
                case "sentence": mode = CaptionMode.Sentence; break;
                case "karaoke": mode = CaptionMode.Karaoke; break;
                case "word": mode = CaptionMode.Word; break;
                default: errors.Add(new($"{path}.mode", "must be one of \"sentence\", \"karaoke\", \"word\"")); break;
            }
        }
        var style = CaptionStyleRequest.None;
        if (value.TryGetProperty("style", out var styleValue) && styleValue.ValueKind != JsonValueKind.Null)
        {
            style = ReadStyle(styleValue, $"{path}.style", errors);
        }
        return errors.Count == before ? new CaptionOptions(mode, style) : null;
    }

    private static CaptionStyleRequest ReadStyle(JsonElement style, string path, List<ValidationError> errors)
    {
        if (style.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object"));
            return CaptionStyleRequest.None;
        }
        RefuseUnknown(style, path, StyleFields, errors);
        string? font = null;
        if (Present(style, "font", out var fontValue))
        {
            font = fontValue.ValueKind == JsonValueKind.String && FontName().IsMatch(fontValue.GetString()!) ? fontValue.GetString() : null;
            if (font is null)
            {
                errors.Add(new($"{path}.font", "must be a font family name of 1 to 64 letters, digits, spaces, '-', '_' or '.'"));
            }
        }
        var position = (CaptionPosition?)null;
        if (Present(style, "position", out var positionValue))
        {
            switch (positionValue.ValueKind == JsonValueKind.String ? positionValue.GetString() : null)
            {
                case "bottom": position = CaptionPosition.Bottom; break;
                case "center": position = CaptionPosition.Center; break;
                case "top": position = CaptionPosition.Top; break;
                default: errors.Add(new($"{path}.position", "must be one of \"bottom\", \"center\", \"top\"")); break;
            }
        }
        var maxLines = Integer(style, "max_lines", 1, CaptionStyle.MaxLinesAllowed, path, errors);
        return new CaptionStyleRequest(
            font,
            Integer(style, "size", MinSize, MaxSize, path, errors),
            Colour(style, "primary_colour", path, errors),
            Colour(style, "outline_colour", path, errors),
            Colour(style, "highlight_colour", path, errors),
            Number(style, "outline", MaxOutline, path, errors),
            Boolean(style, "box", path, errors),
            Colour(style, "box_colour", path, errors),
            position,
            Integer(style, "margin", 0, MaxMargin, path, errors),
            Boolean(style, "uppercase", path, errors),
            Integer(style, "max_chars", MinChars, MaxChars, path, errors),
            maxLines);
    }

    private static void RefuseUnknown(JsonElement value, string path, string[] known, List<ValidationError> errors)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                // The name is the client's: shown only when it is short and plain.
                var name = property.Name.Length <= 40 && property.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{property.Name}" : path;
                errors.Add(new(name, $"is not a field of {path}; the fields are {string.Join(", ", known)}"));
            }
        }
    }

    private static bool Present(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static int? Integer(JsonElement parent, string name, int min, int max, string path, List<ValidationError> errors)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }
        errors.Add(new($"{path}.{name}", $"must be a whole number from {min} to {max}"));
        return null;
    }

    private static double? Number(JsonElement parent, string name, double max, string path, List<ValidationError> errors)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number >= 0 && number <= max)
        {
            return number;
        }
        errors.Add(new($"{path}.{name}", $"must be a number from 0 to {max}"));
        return null;
    }

    private static bool? Boolean(JsonElement parent, string name, string path, List<ValidationError> errors)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(new($"{path}.{name}", "must be true or false"));
        return null;
    }

    private static CaptionColour? Colour(JsonElement parent, string name, string path, List<ValidationError> errors)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && CaptionColour.TryParse(value.GetString(), out var colour))
        {
            return colour;
        }
        errors.Add(new($"{path}.{name}", "must be a colour \"#RRGGBB\" or \"#RRGGBBAA\" (AA is the opacity, FF opaque)"));
        return null;
    }

    [GeneratedRegex(@"^[\p{L}\p{N} ._-]{1,64}\z")]
    private static partial Regex FontName();
}
