using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Source-generated JSON for everything we store or send: snake_case names (the seed's contract), no reflection
/// at run time, so a record costs one allocation-light serialization.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JobRecord))]
[JsonSerializable(typeof(DeadLetterEntry))]
[JsonSerializable(typeof(JobManifest))]
[JsonSerializable(typeof(JobUpdate))]
public sealed partial class JobJson : JsonSerializerContext
{
    /// <summary>A JSON null, for a payload that is gone (a default JsonElement cannot be serialized).</summary>
    public static JsonElement Null { get; } = JsonDocument.Parse("null").RootElement.Clone();

    public static string Serialize(JobRecord record) => JsonSerializer.Serialize(record, Default.JobRecord);

    public static JobRecord? DeserializeRecord(string json) => JsonSerializer.Deserialize(json, Default.JobRecord);

    public static JobRecord? DeserializeRecord(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Default.JobRecord);

    /// <summary>Null for JSON this service did not write (edited by hand, or by another program), instead of throwing:
    /// for readers that leave such a value out rather than fail.</summary>
    public static T? TryDeserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The same on UTF-8 JSON (as Redis holds it).</summary>
    public static T? TryDeserialize<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
