using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// Writes job events into the journal as our own JSON (<see cref="JobEventJson"/>), not Akka's reflection-based
/// default: what is in Redis must stay readable by the next version of this code.
/// </summary>
public sealed class JobEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4107;

    private const string EventManifest = "job-event.v1";

    /// <summary>Binds every <see cref="JobEvent"/> to this serializer; goes under the actor system's configuration.</summary>
    public static Config Binding { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.videoakka-job-events = "{{typeof(JobEventSerializer).FullName}}, {{typeof(JobEventSerializer).Assembly.GetName().Name}}"
          serialization-bindings { "{{typeof(JobEvent).FullName}}, {{typeof(JobEvent).Assembly.GetName().Name}}" = videoakka-job-events }
        }
        """);

    public override int Identifier => Id;

    public override byte[] ToBinary(object obj) => obj is JobEvent happened
        ? JsonSerializer.SerializeToUtf8Bytes(happened, JobEventJson.Default.JobEvent)
        : throw new ArgumentException($"{obj.GetType()} is not a job event", nameof(obj));

    public override object FromBinary(byte[] bytes, string manifest) => manifest == EventManifest
        ? JsonSerializer.Deserialize(bytes, JobEventJson.Default.JobEvent) ?? throw new System.Runtime.Serialization.SerializationException("an empty job event")
        : throw new System.Runtime.Serialization.SerializationException($"unknown job event manifest \"{manifest}\"");

    public override string Manifest(object o) => EventManifest;
}
