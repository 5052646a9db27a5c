using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>Issue 10, Must show 5: a job is never run twice, even when its id is pushed onto the queue again.</summary>
public sealed class FinishedJobRequeuedSpecs
{
    [Fact]
    public async Task A_completed_job_pushed_onto_the_queue_again_is_not_run_again_and_keeps_its_video_and_record()
    {
        await using var service = await ServiceUnderTest.StartAsync();
        var jobId = await service.SubmitAsync(JobBodies.Simple("done-once", scenes: 1, voiceover: false));
        Assert.Equal("completed", (await service.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        var video = Path.Combine(service.Folder("done-once"), "stitched_subtitled.mp4");
        var written = File.GetLastWriteTimeUtc(video);
        var record = (string)(await service.Redis.Db.StringGetAsync(service.Keys.Job(jobId)))!;

        await service.Redis.Db.ListLeftPushAsync(service.Keys.Queue, jobId);
        await Eventually.WaitUntilAsync(async () =>
            await service.Redis.Db.ListLengthAsync(service.Keys.Queue) == 0
            && await service.Redis.Db.ListLengthAsync(service.Keys.Processing("test-worker")) == 0, "the job id to be taken and dropped");
        var later = await service.SubmitAsync(JobBodies.Simple("after-it", scenes: 1, voiceover: false));
        Assert.Equal("completed", (await service.WaitUntilFinishedAsync(later)).GetProperty("status").GetString());

        Assert.Equal(record, (string)(await service.Redis.Db.StringGetAsync(service.Keys.Job(jobId)))!);
        Assert.Equal(written, File.GetLastWriteTimeUtc(video));
        Assert.False(await service.Redis.Db.KeyExistsAsync(service.Keys.ActiveRun("done-once")));
    }
}
