using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>
/// Writes a stored payload as the bytes it was parsed from, instead of token by token: a payload of up to 1 MiB is
/// copied, not unescaped and escaped again (that cost 20-40 ms of CPU for a body of \u escapes). The payload was
/// validated when it was parsed, so its text is valid JSON.
/// </summary>
public sealed class RawJsonConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) =>
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}
