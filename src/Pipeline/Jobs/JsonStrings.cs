using System.Text.Json;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// JSON allows escapes of lone surrogates ("\ud800") that no .NET string can hold: JsonDocument accepts them, and
/// reading or re-serializing such a string throws. A stored payload must hold none, in any field.
/// </summary>
public static class JsonStrings
{
    /// <returns>The path of the first string or property name that is not valid Unicode, or null.</returns>
    public static string? FindInvalid(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (FindInvalid(item, $"{path}[{index++}]") is { } inItem)
                        {
                            return inItem;
                        }
                    }
                    return null;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (FindInvalid(property.Value, $"{path}.{property.Name}") is { } inValue)
                        {
                            return inValue;
                        }
                    }
                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return path;
        }
    }
}
