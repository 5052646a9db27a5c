using System.Collections.Immutable;
using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Tests.Support;
using Xunit.Abstractions;

namespace VideoAkka.Tests.Streams;

public sealed class JobAssemblerSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    /// <summary>A job of <paramref name="scenes"/> scenes: it is assembled from that many scenes plus one voiceover.</summary>
    private static JobRun Job(string jobId, int scenes = 2) => TestRuns.Create(jobId, scenes);

    private static SceneMade Scene(JobRun job, int index) =>
        new(job, index, $"{job.Folder}/img_{index:000}.png", $"{job.Folder}/vid_{index:000}.mp4");

    private static VoiceoverMade Voice(JobRun job) =>
        new(job, new Voiceover($"{job.Folder}/voiceover.mp3", 2.5, []));

    /// <summary>Runs the parts through the assembler; both outlets end in a Sink.Seq.</summary>
    private async Task<(IImmutableList<AssembledJob> Assembled, IImmutableList<JobFailed> Failed)> AssembleAsync(params JobPart[] parts)
    {
        var graph = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<AssembledJob>(),
            Sink.Seq<JobFailed>(),
            Keep.Both,
            (b, assembledSink, failedSink) =>
            {
                var assembler = b.Add(new JobAssembler());
                b.From(b.Add(Source.From(parts))).To(assembler.In);
                b.From(assembler.Out0).To(assembledSink);
                b.From(assembler.Out1).To(failedSink);
                return ClosedShape.Instance;
            }));
        var (assembled, failed) = graph.Run(Sys.Materializer());
        return (await assembled.WaitAsync(Guard), await failed.WaitAsync(Guard));
    }

    [Fact]
    public async Task A_job_whose_scenes_and_voiceover_all_arrive_is_emitted_once_with_its_scenes_in_index_order()
    {
        var job = Job("j1", scenes: 3);

        var (assembled, failed) = await AssembleAsync(Scene(job, 3), Voice(job), Scene(job, 1), Scene(job, 2));

        var single = Assert.Single(assembled);
        Assert.Same(job, single.Job);
        Assert.Equal([1, 2, 3], single.Scenes.Select(s => s.Index).ToArray());
        Assert.Equal([$"{job.Folder}/vid_001.mp4", $"{job.Folder}/vid_002.mp4", $"{job.Folder}/vid_003.mp4"], single.Scenes.Select(s => s.ClipPath).ToArray());
        Assert.Equal($"{job.Folder}/voiceover.mp3", single.Voiceover?.Path);
        Assert.Empty(failed);
    }

    [Fact]
    public async Task A_job_without_a_voiceover_is_assembled_with_none()
    {
        var job = Job("j1", scenes: 1);

        var (assembled, _) = await AssembleAsync(Scene(job, 1), new VoiceoverMade(job, null));

        Assert.Null(Assert.Single(assembled).Voiceover);
    }

    [Fact]
    public async Task A_job_missing_a_part_is_not_emitted()
    {
        var job = Job("j1", scenes: 2);

        var (assembled, failed) = await AssembleAsync(Scene(job, 1), Voice(job));

        Assert.Empty(assembled);
        Assert.Empty(failed);
    }

    [Fact]
    public async Task One_failed_part_emits_one_failure_with_its_reason_and_no_assembled_job()
    {
        var job = Job("j1", scenes: 2);

        var (assembled, failed) = await AssembleAsync(Scene(job, 1), new PartFailed(job, "image backend answered 500"), Voice(job));

        var single = Assert.Single(failed);
        Assert.Same(job, single.Job);
        Assert.Equal("image backend answered 500", single.Error);
        Assert.Empty(assembled);
    }

    [Fact]
    public async Task Parts_of_two_interleaved_jobs_are_each_assembled_from_their_own_parts()
    {
        var a = Job("a", scenes: 2);
        var b = Job("b", scenes: 3);

        var (assembled, failed) = await AssembleAsync(
            Scene(b, 2), Scene(a, 2), Voice(b), Scene(b, 3), Scene(a, 1), Voice(a), Scene(b, 1));

        Assert.Empty(failed);
        Assert.Equal(["a", "b"], assembled.Select(j => j.Job.JobId).ToArray());
        var jobA = assembled.Single(j => j.Job == a);
        var jobB = assembled.Single(j => j.Job == b);
        Assert.Equal([1, 2], jobA.Scenes.Select(s => s.Index).ToArray());
        Assert.Equal([1, 2, 3], jobB.Scenes.Select(s => s.Index).ToArray());
        Assert.All(jobA.Scenes, s => Assert.Same(a, s.Job));
        Assert.All(jobB.Scenes, s => Assert.Same(b, s.Job));
        Assert.StartsWith(a.Folder.Path, jobA.Voiceover!.Path, StringComparison.Ordinal);
        Assert.StartsWith(b.Folder.Path, jobB.Voiceover!.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_of_one_job_does_not_stop_an_interleaved_job_from_being_assembled()
    {
        var a = Job("a", scenes: 1);
        var b = Job("b", scenes: 1);

        var (assembled, failed) = await AssembleAsync(Scene(a, 1), new PartFailed(b, "tts failed"), Voice(a), Scene(b, 1));

        Assert.Same(a, Assert.Single(assembled).Job);
        Assert.Same(b, Assert.Single(failed).Job);
    }

    [Fact]
    public async Task Two_runs_of_one_job_in_the_graph_at_once_are_assembled_apart()
    {
        // The job was leased again by this worker while its abandoned run still drains: same job id, two runs.
        var abandoned = Job("j1", scenes: 2);
        var resumed = Job("j1", scenes: 2);

        var (assembled, failed) = await AssembleAsync(
            new PartFailed(abandoned, "cancelled"), Scene(resumed, 1), new PartFailed(abandoned, "cancelled"), Scene(resumed, 2),
            Voice(abandoned), Voice(resumed));

        Assert.Same(resumed, Assert.Single(assembled).Job);
        Assert.Same(abandoned, Assert.Single(failed).Job);
    }

    [Fact]
    public async Task Parts_arriving_after_a_failure_are_dropped()
    {
        var job = Job("j1", scenes: 3);

        var (assembled, failed) = await AssembleAsync(
            new PartFailed(job, "first"), Scene(job, 1), new PartFailed(job, "second"), Scene(job, 3));

        Assert.Equal(["first"], failed.Select(f => f.Error).ToArray());
        Assert.Empty(assembled);
    }

    [Fact]
    public async Task Without_demand_for_assembled_jobs_the_assembler_stops_taking_parts_until_one_is_taken()
    {
        const int jobs = 10;
        var parts = Enumerable.Range(1, jobs)
            .Select(i => Job($"bp-{i:00}", scenes: 1))
            .SelectMany(job => new JobPart[] { Scene(job, 1), Voice(job) })
            .ToList();
        var graph = RunnableGraph.FromGraph(GraphDsl.Create(
            Source.Queue<JobPart>(1, OverflowStrategy.Backpressure),
            Sink.Queue<AssembledJob>(),
            Keep.Both,
            (b, source, sink) =>
            {
                var assembler = b.Add(new JobAssembler(maxReady: 1));
                b.From(source).To(assembler.In);
                b.From(assembler.Out0).To(sink);
                b.From(assembler.Out1).To(b.Add(Sink.Ignore<JobFailed>()));
                return ClosedShape.Instance;
            })).WithAttributes(Attributes.CreateInputBuffer(1, 1));
        var (offers, taken) = graph.Run(Sys.Materializer());

        // The first part always fits (the queue's buffer is empty): awaiting it in full waits out the start-up, so
        // a slow start is not taken for backpressure.
        Assert.IsType<QueueOfferResult.Enqueued>(await offers.OfferAsync(parts[0]).WaitAsync(Guard));
        var accepted = 1;

        // Offer the rest one at a time until an offer is not accepted: the stream has stopped pulling.
        Task<IQueueOfferResult>? pending = null;
        foreach (var part in parts.Skip(1))
        {
            var offer = offers.OfferAsync(part);
            if (await Task.WhenAny(offer, Task.Delay(TimeSpan.FromMilliseconds(500))) != offer)
            {
                pending = offer;
                break;
            }
            Assert.IsType<QueueOfferResult.Enqueued>(await offer);
            accepted++;
        }

        Assert.NotNull(pending);
        Assert.True(accepted < parts.Count, $"all {parts.Count} parts were accepted without demand");
        Output?.WriteLine($"accepted {accepted} of {parts.Count} parts before backpressure");

        var first = await taken.PullAsync().WaitAsync(Guard);
        Assert.Equal("bp-01", first.Value.Job.JobId);
        Assert.IsType<QueueOfferResult.Enqueued>(await pending.WaitAsync(Guard));
    }
}
