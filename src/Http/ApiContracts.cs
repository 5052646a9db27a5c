using System.Text.Json.Serialization;

namespace VideoAkka.Http;

/// <summary>The body of 202 Accepted from POST /orchestrate/start: the seed's {"job_id", "status": "queued"}.</summary>
public sealed record StartResponse(string JobId, string Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StartResponse))]
public sealed partial class ApiJson : JsonSerializerContext;
