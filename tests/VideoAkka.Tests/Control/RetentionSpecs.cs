using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11, Must show 7: Redis does not fill up. A finished record's TTL is set by its terminal write, a
/// completed job's journal is deleted and a failed one's expires with its record, run-id guards expire, and the dead
/// letter stays within its cap.</summary>
public sealed class RetentionSpecs
{
    private const string Hocon = ServiceUnderTest.SmallFrames + """

        videoakka.retention.records = 1h
        videoakka.retention.dead-letter = 2
        videoakka.worker.job-timeout = 30m
        """;

    [Fact]
    public async Task A_finished_records_ttl_is_set_when_it_finishes_and_a_completed_jobs_journal_is_deleted()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        var jobId = await service.SubmitAsync(JobBodies.Simple("kept-an-hour", scenes: 1, voiceover: false));
        var guardTtl = await service.Redis.Db.KeyTimeToLiveAsync(service.Keys.ActiveRun("kept-an-hour"));
        await service.WaitUntilFinishedAsync(jobId);

        var ttl = await service.Redis.Db.KeyTimeToLiveAsync(service.Keys.Job(jobId));

        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.InRange(guardTtl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.False(await service.Redis.Db.KeyExistsAsync($"video_orchestrator:journal:persisted:job-{jobId}"));
        Assert.False(await service.Redis.Db.KeyExistsAsync($"video_orchestrator:journal:persisted:job-{jobId}:highestSequenceNr"));
    }

    [Fact]
    public async Task The_dead_letter_keeps_its_newest_entries_within_its_cap_and_a_failed_jobs_journal_expires_with_its_record()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var jobId = await service.SubmitAsync(JobBodies.Simple($"doomed-{i}", scenes: 1, voice: "zz-novoice"));
            Assert.Equal("failed", (await service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
            failed.Add(jobId);
        }

        var entries = (await service.Redis.Db.ListRangeAsync(service.Keys.DeadLetter)).Select(v => v.ToString()).ToArray();
        var journalTtl = await service.Redis.Db.KeyTimeToLiveAsync($"video_orchestrator:journal:persisted:job-{failed[2]}");

        Assert.Equal(2, entries.Length);
        Assert.Contains(failed[1], entries[0]);
        Assert.Contains(failed[2], entries[1]);
        Assert.InRange(journalTtl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.InRange((await service.Redis.Db.KeyTimeToLiveAsync(service.Keys.Job(failed[2])))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }
}
