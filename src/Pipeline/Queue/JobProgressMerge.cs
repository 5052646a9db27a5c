using System.Globalization;
using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Pipeline.Queue;

/// <summary>Puts a running job's live stage and progress into its record as read. Only a running record takes them: a
/// finished one carries its own, and a queued one (retried) has not started again.</summary>
internal static class JobProgressMerge
{
    public static string Merge(string recordJson, string stage, string progress)
    {
        JobRecord? record;
        try
        {
            record = JobJson.DeserializeRecord(recordJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return recordJson; // not one of ours: shown as it is
        }
        if (record is not { Status: JobStatus.Running } || !double.TryParse(progress, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            return recordJson;
        }
        return JobJson.Serialize(record with { Stage = stage, Progress = Math.Max(record.Progress, fraction) });
    }
}
