using System.Runtime.CompilerServices;
using System.Text.Json;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Integration;

/// <summary>How jobs move through the stages: parallelism is global across jobs, and the record follows the job.</summary>
public sealed class StageSpecs
{
    [Fact]
    public async Task Each_stage_runs_as_many_tools_at_once_as_its_parallelism_across_all_jobs_and_never_more()
    {
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + """

            videoakka.stages { image-gen.parallelism = 1, video-gen.parallelism = 2, stitch.parallelism = 1 }
            """);
        var jobs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            // Clips of 20 s: each clip's encode outlasts a draft card's drawing, so two clips overlap on any machine.
            jobs.Add(await service.SubmitAsync(JobBodies.Simple($"stages-{i}", scenes: 3, sceneSeconds: 20, voiceover: false)));
        }

        // Each stage's ffmpeg is told apart by its command line: the draft image draws its ASS card, the clip loops the
        // image, the render writes the partial final file.
        int images = 0, clips = 0, renders = 0;
        await Eventually.WaitUntilAsync(async () =>
        {
            images = Math.Max(images, ProcessTable.CountFfmpeg("ass=prompt_", service.DataRoot));
            clips = Math.Max(clips, ProcessTable.CountFfmpeg("loop=loop=", service.DataRoot));
            renders = Math.Max(renders, ProcessTable.CountFfmpeg("stitched_subtitled.partial.mp4", service.DataRoot));
            var finished = 0;
            foreach (var job in jobs)
            {
                finished += (await service.StatusAsync(job)).GetProperty("status").GetString() is "completed" or "failed" ? 1 : 0;
            }
            return finished == jobs.Count;
        }, "the four jobs to finish", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(10));

        // Each cap reached and never exceeded: a stage stuck at one run at a time fails on the clips.
        Assert.Equal(1, images);
        Assert.Equal(2, clips);
        Assert.Equal(1, renders);
        foreach (var job in jobs)
        {
            Assert.Equal("completed", (await service.StatusAsync(job)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task The_record_moves_from_queued_through_the_stages_to_completed_with_rising_progress()
    {
        string[] order = ["queued", "preparing", "tts", "image-gen", "video-gen", "subtitle", "stitch", "qc", "done"];
        // Progress written often, and 20 s clips: the job runs for several intervals on any machine, so a poll sees
        // it between 0 and 1.
        await using var service = await ServiceUnderTest.StartAsync(ServiceUnderTest.SmallFrames + "\nvideoakka.worker.progress-interval = 100ms");
        var jobId = await service.SubmitAsync(JobBodies.Simple("progress-run", scenes: 3, sceneSeconds: 20));

        var seen = new List<(string Status, string Stage, double Progress)>();
        var record = await Eventually.WaitForAsync<StrongBox<JsonElement>>(async () =>
        {
            var now = await service.StatusAsync(jobId);
            seen.Add((now.GetProperty("status").GetString()!, now.GetProperty("stage").GetString()!, now.GetProperty("progress").GetDouble()));
            return seen[^1].Status is "queued" or "running" ? null : new StrongBox<JsonElement>(now);
        }, "the job to finish", interval: TimeSpan.FromMilliseconds(20));

        Assert.Equal(("completed", "done", 1.0), seen[^1]);
        Assert.Contains(seen, s => s.Status == "running" && s.Progress is > 0 and < 1);
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].Progress >= seen[i - 1].Progress, $"progress went back: {seen[i - 1]} then {seen[i]}");
            Assert.True(Array.IndexOf(order, seen[i].Stage) >= Array.IndexOf(order, seen[i - 1].Stage), $"stage went back: {seen[i - 1]} then {seen[i]}");
        }
        Assert.NotNull(record.Value.GetProperty("started_at").GetString());
        Assert.True(record.Value.GetProperty("finished_at").GetDateTimeOffset() >= record.Value.GetProperty("started_at").GetDateTimeOffset());
    }
}
