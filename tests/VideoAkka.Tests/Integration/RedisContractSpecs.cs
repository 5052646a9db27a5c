using System.Text.Json.Nodes;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Must show 7: the seed's Redis key names, and the seed's snake_case field names in the job record.</summary>
public sealed class RedisContractSpecs
{
    [Fact]
    public async Task A_submitted_job_is_stored_under_the_seeds_keys_and_queued_at_the_producer_end()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var first = await api.SubmitAsync(JobBodies.Simple("keys-1"));
        var second = await api.SubmitAsync(JobBodies.Simple("keys-2"));

        Assert.Equal(
            new[] { $"video_orchestrator:job:{first}", $"video_orchestrator:job:{second}", "video_orchestrator:jobs", "video_orchestrator:queue", "video_orchestrator:run:keys-1", "video_orchestrator:run:keys-2",
                "video_orchestrator:updates" }.Order(),
            await api.Redis.KeysAsync());
        // LPUSH by the producer, pop from the right by the worker: the first job is at the right (pop) end.
        Assert.Equal([second, first], (await api.Redis.Db.ListRangeAsync("video_orchestrator:queue")).Select(v => v.ToString()));
    }

    [Fact]
    public async Task The_job_record_uses_the_seeds_snake_case_field_names()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("fields-run"));

        var record = JsonNode.Parse((await api.Redis.Db.StringGetAsync($"video_orchestrator:job:{jobId}")).ToString())!.AsObject();

        Assert.Equal(
            new[] { "job_id", "run_id", "status", "stage", "progress", "created_at", "started_at", "finished_at", "error", "output_dir",
                    "final_video_path", "video_files", "image_files", "voiceover_path", "payload" }.Order(),
            record.Select(p => p.Key).Order());
        Assert.Equal(jobId, record["job_id"]!.GetValue<string>());
        Assert.Equal("queued", record["status"]!.GetValue<string>());
        Assert.Equal("fields-run", record["run_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JobBodies.Simple("fields-run")), record["payload"]));
    }

    [Fact]
    public async Task A_finished_job_leaves_its_record_and_nothing_in_the_queue_or_processing_list()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("done-run", scenes: 1));
        await service.WaitUntilFinishedAsync(jobId);

        // The record stays (until its retention); the queue, the processing list, the run-id guard, the job's lease and
        // its journal (completed: it will never run again) are gone. (The worker's claim on its id, and its name in the
        // set of workers, live as long as the worker.)
        Assert.Equal(new[]
        {
            $"video_orchestrator:job:{jobId}",
            "video_orchestrator:jobs",
            "video_orchestrator:updates", // the live updates of its jobs, capped, not per job
            "video_orchestrator:worker:test-worker",
            "video_orchestrator:workers",
        }.Order(), await service.Redis.KeysAsync());
    }

    [Fact]
    public async Task The_key_prefix_is_configurable()
    {
        await using var api = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.redis.key-prefix = studio_b", role: ServiceRole.Api);
        var jobId = await api.SubmitAsync(JobBodies.Simple("prefix-run"));

        Assert.Equal(new[] { $"studio_b:job:{jobId}", "studio_b:jobs", "studio_b:queue", "studio_b:run:prefix-run", "studio_b:updates" }.Order(), await api.Redis.KeysAsync());
    }
}
