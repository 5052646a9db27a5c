using System.Text.Json;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>What is pushed to <c>video_orchestrator:dead_letter</c> for a failed job: the seed's {job_id, payload, error}.</summary>
public sealed record DeadLetterEntry(string JobId, [property: System.Text.Json.Serialization.JsonConverter(typeof(RawJsonConverter))] JsonElement Payload, string Error);
