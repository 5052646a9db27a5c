using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The one long-running graph of a worker. Scenes flow, not jobs:
/// <code>
/// jobs ─▶ start ──▶ broadcast ─┬▶ scenes (fan-out) ─▶ image-gen ─▶ video-gen ─┐
///                               └▶ tts ────────────────────────────────────────┴▶ merge ─▶ assemble ─┬▶ subtitle ─▶ stitch ─▶ qc ─┐
///                                                                                     (first failure)└────────────────────────────┴▶ finish
/// </code>
/// The finish step has the job's owner write the outcome, which puts its webhook in the outbox in the same step (see
/// <see cref="OutboxDelivery"/>).
/// Each stage's parallelism is global across jobs; the queue source only pops while fewer than max-jobs-in-flight
/// jobs are out of Redis, so backpressure reaches the queue. The two branches after the broadcast each buffer up to
/// that many jobs: a broadcast emits only when both branches pull, so without them a busy tts stage would hold back
/// the GPU stages.
/// </summary>
public static class VideoPipelineGraph
{
    /// <summary>Enough to record many outcomes at once: each waits on a journal write and the terminal script, and
    /// at thousands of jobs a second (the null backend) Redis latency must not be what holds up the graph.</summary>
    private const int FinishParallelism = 64;

    /// <summary>Jobs started at once. Each start waits on several Redis round trips (lease and record, run-id guard,
    /// the owner's recovery, the journaled start and the running record): one at a time, they capped a worker at a
    /// few hundred jobs a second whatever its stages could do. Starts stay in pop order (SelectAsync, not unordered).</summary>
    private const int StartParallelism = 128;

    /// <param name="maxJobsInFlight">The admission cap: each branch after the broadcast may hold that many jobs, so the
    /// voiceover of one job never waits for the scenes of another (nor the other way round); the cap bounds it.</param>
    public static IRunnableGraph<(TMat, Task<Done>)> Create<TMat>(
        Source<string, TMat> jobIds,
        StageSettings stages,
        int maxJobsInFlight,
        JobLifecycle lifecycle,
        GenerationSteps generation,
        MediaSteps media,
        QcSteps qc)
    {
        var scenes = Flow.Create<JobRun>()
            .Buffer(maxJobsInFlight, OverflowStrategy.Backpressure)
            .SelectMany(run => run.Scenes.Select(scene => new SceneWork(run, scene)))
            .SelectAsyncUnordered(stages.ImageGen, generation.MakeImageAsync)
            .SelectAsyncUnordered(stages.VideoGen, generation.MakeClipAsync);
        var voiceover = Flow.Create<JobRun>()
            .Buffer(maxJobsInFlight, OverflowStrategy.Backpressure)
            .SelectAsyncUnordered(stages.Tts, media.MakeVoiceoverAsync);
        var render = Flow.Create<AssembledJob>()
            .SelectAsyncUnordered(stages.Subtitle, media.WriteSubtitlesAsync)
            .SelectAsyncUnordered(stages.Stitch, media.RenderAsync)
            .SelectAsyncUnordered(stages.Qc, qc.CheckAsync);
        var finish = Flow.Create<JobStep>()
            .SelectAsyncUnordered(FinishParallelism, lifecycle.FinishAsync);

        var graph = GraphDsl.Create(jobIds, Sink.Ignore<FinishResult>(), Keep.Both, (b, source, sink) =>
        {
            // A job that could not start has its outcome (and its webhook, through the outbox) recorded already.
            var start = b.Add(Flow.Create<string>()
                .SelectAsync(StartParallelism, lifecycle.StartAsync)
                .Where(started => started.Run is not null)
                .Select(started => started.Run!));
            var split = b.Add(new Broadcast<JobRun>(2));
            var parts = b.Add(new Merge<JobPart>(2));
            var assemble = b.Add(new JobAssembler());
            var outcomes = b.Add(new Merge<JobStep>(2));

            b.From(source).Via(start).To(split);
            b.From(split.Out(0)).Via(scenes).To(parts.In(0));
            b.From(split.Out(1)).Via(voiceover).To(parts.In(1));
            b.From(parts.Out).To(assemble.In);
            b.From(assemble.Out0).Via(render).To(outcomes.In(0));
            b.From(assemble.Out1).Via(Flow.Create<JobFailed>().Select(failed => (JobStep)failed)).To(outcomes.In(1));
            b.From(outcomes.Out).Via(finish).To(sink);
            return ClosedShape.Instance;
        });

        // Every async boundary holds one element at most: a job popped into a buffer is a job taken from Redis that
        // nothing works on.
        return RunnableGraph.FromGraph(graph).WithAttributes(Attributes.CreateInputBuffer(1, 1));
    }
}
