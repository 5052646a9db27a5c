using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Puts a running job's live stage and progress (<see cref="RedisKeys.Progress"/>, read as HMGET stage
/// progress) into its record as read. Only a running record takes them: a finished one carries its own, and a queued
/// one (retried) has not started again.</summary>
internal static class JobProgressMerge
{
    public static readonly RedisValue[] Fields = ["stage", "progress"];

    public static JobRecord Apply(JobRecord record, RedisValue[] live) =>
        record.Status == JobStatus.Running && !live[0].IsNull && live[1].TryParse(out double fraction)
            ? record with { Stage = live[0].ToString(), Progress = Math.Max(record.Progress, fraction) }
            : record;

    /// <summary>The same on the record's UTF-8 JSON; a record that is not one of ours is shown as it is. A record
    /// with no live progress (every one but a running job's) is returned untouched: no parse, no copy.</summary>
    public static byte[] Apply(byte[] recordJson, RedisValue[] live)
    {
        if (live[0].IsNull || live[1].IsNull)
        {
            return recordJson;
        }
        var record = JobJson.TryDeserialize(recordJson, JobJson.Default.JobRecord);
        var merged = record is null ? null : Apply(record, live);
        return merged is null || ReferenceEquals(merged, record) ? recordJson : JsonSerializer.SerializeToUtf8Bytes(merged, JobJson.Default.JobRecord);
    }
}
