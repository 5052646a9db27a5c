using System.Text.Json;
using Akka.Actor;
using StackExchange.Redis;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Pipeline.Queue.Persistence;
using VideoAkka.Tests.Persistence;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Actors;

/// <summary>The job's one owner, on the real Redis journal and store: it journals, decides the failure (first reason
/// wins), writes the read model, and stops writing the moment its lease is gone.</summary>
public sealed class JobActorSpecs(RedisPersistenceFixture fixture) : IClassFixture<RedisPersistenceFixture>, IAsyncLifetime
{
    private const string WorkerId = "owner-spec";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    private readonly RedisKeys _keys = RedisKeys.Default;
    private ActorSystem _system = null!;

    private IDatabase Db => fixture.Redis.Db;

    private RedisJobStore Store => new(fixture.Redis.Connection, _keys);

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("job-actor-spec",
            RedisPersistenceFixture.SpecConfig($"{RedisKeys.DefaultPrefix}:").WithFallback(JobEventSerializer.Binding));
        RedisPersistenceConnection.Get(_system).Use(fixture.Redis.Connection);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    /// <summary>A job submitted, popped into this worker's list and leased: what the start step hands to an owner.</summary>
    private async Task<(JobRecord Queued, JobLease Lease)> LeasedJobAsync(string runId)
    {
        var jobId = Guid.NewGuid().ToString();
        using var payload = JsonDocument.Parse(JobBodies.Simple(runId));
        await Store.SubmitAsync(JobRecord.Queued(jobId, runId, "/tmp/" + runId, payload.RootElement, DateTimeOffset.UtcNow));
        var settings = new QueueSettings(_keys, WorkerId, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await Db.ListRemoveAsync(_keys.Queue, jobId);
        await Db.ListLeftPushAsync(settings.ProcessingList, jobId);
        var (outcome, lease) = await new JobLeases(fixture.Redis.Connection, settings).AcquireAsync(jobId);
        Assert.Equal(LeaseOutcome.Acquired, outcome);
        return ((await Store.GetAsync(jobId))!, lease!);
    }

    private IActorRef Owner(string jobId, TimeSpan? timeout = null) =>
        _system.ActorOf(JobActor.Props(jobId, new JobOwnerSettings(Store, WorkerId, TimeProvider.System, TimeSpan.FromMilliseconds(50),
            timeout ?? TimeSpan.FromMinutes(5), CancellationToken.None)));

    private async Task<JobRecord> RecordAsync(string jobId) => (await Store.GetAsync(jobId))!;

    [Fact]
    public async Task Beginning_journals_the_start_with_its_seeds_and_writes_the_running_record()
    {
        var (queued, lease) = await LeasedJobAsync("begin-run");

        var begun = await Owner(queued.JobId).Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [11, 22], lease), Soon);

        Assert.Equal(0, begun.Before.Starts);
        Assert.Equal([11L, 22L], begun.Seeds.ToArray());
        var record = await RecordAsync(queued.JobId);
        Assert.Equal(JobStatus.Running, record.Status);
        Assert.NotNull(record.StartedAt);
        Assert.Equal(1, await JobJournal.CountAsync(Db, queued.JobId, "job_started"));
    }

    [Fact]
    public async Task The_first_failure_stands_cancels_the_jobs_work_and_is_recorded_with_its_dead_letter()
    {
        var (queued, lease) = await LeasedJobAsync("fail-run");
        var owner = Owner(queued.JobId);
        var begun = await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [1], lease), Soon);

        var first = await owner.Ask<JobOwner.FailureStands>(new JobOwner.FailJob("image-gen scene 1: boom", JobStages.ImageGen), Soon);
        var second = await owner.Ask<JobOwner.FailureStands>(new JobOwner.FailJob("video-gen scene 2: cancelled too", JobStages.VideoGen), Soon);
        var finished = await owner.Ask<JobOwner.Finished>(new JobOwner.AwaitOutcome("late", JobStages.Stitch), Soon);

        Assert.Equal("image-gen scene 1: boom", first.Reason);
        Assert.Equal("image-gen scene 1: boom", second.Reason);
        Assert.True(begun.Cancellation.IsCancellationRequested);
        Assert.Equal(JobStatus.Failed, finished.Record!.Status);
        var record = await RecordAsync(queued.JobId);
        Assert.Equal((JobStatus.Failed, "image-gen scene 1: boom"), (record.Status, record.Error));
        Assert.Equal(1, await Db.ListLengthAsync(_keys.DeadLetter) - await OtherDeadLettersAsync(queued.JobId));
        Assert.Equal(1, await JobJournal.CountAsync(Db, queued.JobId, "failed"));
        Assert.False(await Db.KeyExistsAsync(_keys.ActiveRun("fail-run")));
    }

    [Fact]
    public async Task A_job_whose_stages_work_on_it_past_its_timeout_fails_as_timed_out()
    {
        var (queued, lease) = await LeasedJobAsync("timeout-run");
        var owner = Owner(queued.JobId, timeout: TimeSpan.FromMilliseconds(200));
        var begun = await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [1], lease), Soon);

        owner.Tell(new JobOwner.WorkStarted());

        await Eventually.WaitUntilAsync(async () => (await RecordAsync(queued.JobId)).Status == JobStatus.Failed, "the timeout", Soon);
        Assert.True(begun.Cancellation.IsCancellationRequested);
        Assert.Equal("timed out: its stages worked on it for 200ms (videoakka.worker.job-timeout)", (await RecordAsync(queued.JobId)).Error);
    }

    [Fact]
    public async Task The_job_clock_stands_still_while_none_of_its_work_is_in_a_stage()
    {
        var (queued, lease) = await LeasedJobAsync("waiting-run");
        var owner = Owner(queued.JobId, timeout: TimeSpan.FromMilliseconds(2500));
        var begun = await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [1], lease), Soon);

        owner.Tell(new JobOwner.WorkStarted());
        owner.Tell(new JobOwner.WorkStarted()); // two parts at once count once
        await Task.Delay(200);
        owner.Tell(new JobOwner.WorkEnded());
        owner.Tell(new JobOwner.WorkEnded());
        await Task.Delay(3000); // waiting for busy stages, past the whole timeout
        Assert.Equal(JobStatus.Running, (await RecordAsync(queued.JobId)).Status);
        Assert.False(begun.Cancellation.IsCancellationRequested);

        owner.Tell(new JobOwner.WorkStarted());

        await Eventually.WaitUntilAsync(async () => (await RecordAsync(queued.JobId)).Status == JobStatus.Failed, "the rest of the timeout", Soon);
        Assert.StartsWith("timed out", (await RecordAsync(queued.JobId)).Error);
    }

    [Fact]
    public async Task Completing_writes_the_terminal_record_ends_the_lease_and_stops_the_owner()
    {
        var (queued, lease) = await LeasedJobAsync("complete-run");
        var owner = Owner(queued.JobId);
        await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [1], lease), Soon);
        var watcher = _system.ActorOf(Props.Create(() => new Watcher(owner)));

        var finished = await owner.Ask<JobOwner.Finished>(
            new JobOwner.CompleteJob("/tmp/complete-run/stitched_subtitled.mp4", null, ["vid_001.mp4"], ["img_001.png"]), Soon);

        Assert.Equal(JobStatus.Completed, finished.Record!.Status);
        var record = await RecordAsync(queued.JobId);
        Assert.Equal((JobStatus.Completed, 1.0, "/tmp/complete-run/stitched_subtitled.mp4"), (record.Status, record.Progress, record.FinalVideoPath));
        Assert.Equal(["vid_001.mp4"], record.VideoFiles.ToArray());
        Assert.Equal(0, await Db.ListLengthAsync(_keys.Processing(WorkerId)) - await OtherProcessingAsync(queued.JobId));
        Assert.False((await Db.SortedSetScoreAsync(_keys.Leases, queued.JobId)).HasValue);
        Assert.True(await watcher.Ask<bool>(Watcher.Ended, Soon));
    }

    [Fact]
    public async Task An_owner_whose_lease_is_gone_cancels_the_job_and_writes_nothing_more()
    {
        var (queued, lease) = await LeasedJobAsync("lost-run");
        var owner = Owner(queued.JobId);
        var begun = await owner.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [1], lease), Soon);
        await Db.HashSetAsync(_keys.LeaseHolders, queued.JobId, "another-worker"); // the reaper gave it away

        owner.Tell(new JobOwner.ReportProgress(JobStages.ImageGen, JobProgress.ImagePart(1), 0.5));
        await Eventually.WaitUntilAsync(() => Task.FromResult(begun.Cancellation.IsCancellationRequested), "the job to be abandoned", Soon);
        var finished = await owner.Ask<JobOwner.Finished>(new JobOwner.AwaitOutcome("cancelled", JobStages.ImageGen), Soon);

        Assert.Null(finished.Record);
        var record = await RecordAsync(queued.JobId);
        Assert.Equal((JobStatus.Running, JobStages.Preparing), (record.Status, record.Stage));
        Assert.Equal(0, await JobJournal.CountAsync(Db, queued.JobId, "failed"));
    }

    [Fact]
    public async Task A_job_begun_again_keeps_its_first_seeds_and_knows_what_its_earlier_run_made()
    {
        var (queued, lease) = await LeasedJobAsync("resume-run");
        var first = Owner(queued.JobId);
        await first.Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [11, 22], lease), Soon);
        first.Tell(new JobOwner.ReportMade(new JobEvent.ImageReady(1, "img_001.png")));
        first.Tell(new JobOwner.ReportMade(new JobEvent.ClipReady(1, "vid_001.mp4")));
        await Eventually.WaitUntilAsync(async () => await JobJournal.CountAsync(Db, queued.JobId, "clip_ready") == 1, "the clip to be journaled", Soon);
        await first.GracefulStop(Soon);

        var begun = await Owner(queued.JobId).Ask<JobOwner.Begun>(new JobOwner.BeginJob(queued, [33, 44], lease), Soon);

        Assert.Equal(1, begun.Before.Starts);
        Assert.Equal([11L, 22L], begun.Seeds.ToArray());
        Assert.Equal("vid_001.mp4", begun.Before.Clips[1]);
        Assert.Equal("img_001.png", begun.Before.Images[1]);
    }

    private async Task<long> OtherDeadLettersAsync(string jobId) =>
        (await Db.ListRangeAsync(_keys.DeadLetter)).Count(v => !v.ToString().Contains(jobId, StringComparison.Ordinal));

    private async Task<long> OtherProcessingAsync(string jobId) =>
        (await Db.ListRangeAsync(_keys.Processing(WorkerId))).Count(v => v.ToString() != jobId);

    /// <summary>Answers whether the watched actor has stopped.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public const string Ended = "ended?";
        private bool _ended;
        private readonly List<IActorRef> _asking = [];

        public Watcher(IActorRef watched)
        {
            Context.Watch(watched);
            Receive<Terminated>(_ =>
            {
                _ended = true;
                _asking.ForEach(a => a.Tell(true));
            });
            Receive<string>(_ =>
            {
                if (_ended)
                {
                    Sender.Tell(true);
                }
                else
                {
                    _asking.Add(Sender);
                }
            });
        }
    }
}
