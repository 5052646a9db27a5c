using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>A route's read of one job's record by a client-given id: the record, or the problem a client gets
/// instead (no such job, Redis away, a record this service did not write).</summary>
public static class JobRecordReader
{
    public static async Task<(JobRecord? Record, ProblemHttpResult? Problem)> ReadAsync(string jobId, IJobStore store, HttpResponse response)
    {
        if (!OrchestrateApi.IsJobId(jobId))
        {
            return (null, Problems.UnknownJob(jobId));
        }
        JobRecord? record;
        try
        {
            record = await store.GetAsync(jobId);
        }
        catch (Exception ex) when (RedisFault.IsRedisFailure(ex))
        {
            return (null, Problems.QueueUnavailable(response));
        }
        catch (JsonException)
        {
            return (null, Problems.UnreadableRecord(jobId));
        }
        return record is null ? (null, Problems.UnknownJob(jobId)) : (record, null);
    }
}
