using Akka.Actor;
using Akka.Persistence;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace VideoAkka.Pipeline.Queue.Persistence;

/// <summary>
/// A stored snapshot as the official plugin writes it: its <c>SnapshotMessage</c> protobuf
/// (akkadotnet/Akka.Persistence.Redis : src/Akka.Persistence.Redis/Serialization/SnapshotMessages.proto, written by
/// PersistentSnapshotSerializer, id 48). Encoded by hand with Google.Protobuf's coded streams, field by field in
/// number order and without proto3 defaults, which is what the generated code writes, so the bytes are the same.
/// The payload stays serialized until the snapshot is chosen: finding the newest match reads only the metadata.
/// </summary>
/// <param name="SerializerId">The Akka serializer that wrote <paramref name="Payload"/>.</param>
/// <param name="Manifest">Its manifest (type name or string manifest); empty when it needs none.</param>
internal sealed record SnapshotCodec(SnapshotMetadata Metadata, int SerializerId, string Manifest, byte[] Payload)
{
    /// <summary>Serializes <paramref name="snapshot"/> with whatever Akka serializer is bound to its type.</summary>
    public static SnapshotCodec Create(ExtendedActorSystem system, SnapshotMetadata metadata, object snapshot)
    {
        var serializer = system.Serialization.FindSerializerFor(snapshot);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, snapshot);
        var payload = Akka.Serialization.Serialization.WithTransport(system, () => serializer.ToBinary(snapshot));
        return new SnapshotCodec(metadata, serializer.Identifier, manifest, payload);
    }

    public SelectedSnapshot ToSelected(ExtendedActorSystem system) =>
        new(Metadata, system.Serialization.Deserialize(Payload, SerializerId, Manifest));

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        if (Metadata.PersistenceId.Length > 0)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(Metadata.PersistenceId);
        }
        if (Metadata.SequenceNr != 0)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt64(Metadata.SequenceNr);
        }
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(Timestamp.FromDateTime(AsUtc(Metadata.Timestamp)));
        output.WriteTag(4, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(PayloadBytes()));
        output.Flush();
        return stream.ToArray();
    }

    public static SnapshotCodec FromBytes(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        string persistenceId = string.Empty, manifest = string.Empty;
        long sequenceNr = 0;
        var timestamp = new Timestamp();
        int serializerId = 0;
        byte[] payload = [];
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: persistenceId = input.ReadString(); break;
                case 2: sequenceNr = input.ReadInt64(); break;
                case 3: input.ReadMessage(timestamp); break;
                case 4: (serializerId, payload, manifest) = ReadPayload(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }
        return new SnapshotCodec(new SnapshotMetadata(persistenceId, sequenceNr, timestamp.ToDateTime()), serializerId, manifest, payload);
    }

    /// <summary>The <c>PersistentPayload</c> message: serializerId = 1, payload = 2, payloadManifest = 3.</summary>
    private byte[] PayloadBytes()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        if (SerializerId != 0)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32(SerializerId);
        }
        if (Payload.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(Payload));
        }
        if (Manifest.Length > 0)
        {
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFromUtf8(Manifest));
        }
        output.Flush();
        return stream.ToArray();
    }

    private static (int SerializerId, byte[] Payload, string Manifest) ReadPayload(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        int serializerId = 0;
        byte[] payload = [];
        var manifest = string.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: serializerId = input.ReadInt32(); break;
                case 2: payload = input.ReadBytes().ToByteArray(); break;
                case 3: manifest = input.ReadBytes().ToStringUtf8(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (serializerId, payload, manifest);
    }

    /// <summary>Protobuf timestamps are UTC only; Akka's metadata may carry an unspecified kind (DateTime.MinValue).</summary>
    private static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
