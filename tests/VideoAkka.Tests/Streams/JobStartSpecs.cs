using System.Text.Json;
using Akka.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Notify;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Streams;

/// <summary>The start step on a real Redis that fails to answer once (issue 10: every failure path keeps the real
/// record): a job that could not start because of Redis goes back on the queue as it was.</summary>
public sealed class JobStartSpecs : IAsyncLifetime
{
    private const string WorkerId = "w1";
    private TestRedis _redis = null!;

    /// <summary>The real store, except that its next start (lease and read) fails as it does when the connection to
    /// Redis is down.</summary>
    private sealed class StoreThatFailsOnce(IJobStore inner) : IJobStore
    {
        private int _failures = 1;

        public Task<byte[]?> GetLiveJsonAsync(string jobId) => inner.GetLiveJsonAsync(jobId);

        public Task<bool> SaveProgressAsync(JobRecord running, JobLease lease) => inner.SaveProgressAsync(running, lease);

        public Task<LeasedJob> LeaseAsync(string jobId, JobLease lease, TimeSpan leaseFor) => Interlocked.Decrement(ref _failures) >= 0
            ? Task.FromException<LeasedJob>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection is active (test)"))
            : inner.LeaseAsync(jobId, lease, leaseFor);

        public Task<JobRecord?> GetAsync(string jobId) => inner.GetAsync(jobId);

        public Task<SubmitOutcome> SubmitAsync(JobRecord queued, int maxQueueLength) => inner.SubmitAsync(queued, maxQueueLength);
        public Task<long> QueueLengthAsync() => inner.QueueLengthAsync();
        public Task<JobPage> ListAsync(JobStatus? status, int limit, JobCursor? after) => inner.ListAsync(status, limit, after);
        public Task<DeadLetterPage> DeadLetterAsync(int limit, int offset) => inner.DeadLetterAsync(limit, offset);
        public Task<string?> GetJsonAsync(string jobId) => inner.GetJsonAsync(jobId);
        public Task<bool> SaveAsync(JobRecord record, JobLease lease) => inner.SaveAsync(record, lease);
        public Task<bool> FinishAsync(JobRecord terminal, DeadLetterEntry? deadLetter, JobLease lease) => inner.FinishAsync(terminal, deadLetter, lease);
        public Task<string> ClaimRunAsync(string runId, string jobId) => inner.ClaimRunAsync(runId, jobId);
        public Task<bool> CancelQueuedAsync(string readJson, JobRecord cancelled) => inner.CancelQueuedAsync(readJson, cancelled);
        public Task RequestCancelAsync(string jobId) => inner.RequestCancelAsync(jobId);
        public Task<bool> IsCancelRequestedAsync(string jobId) => inner.IsCancelRequestedAsync(jobId);
        public Task<RetryOutcome> RetryAsync(string readJson, JobRecord queued, int maxQueueLength = 0) => inner.RetryAsync(readJson, queued, maxQueueLength);
        public Task DropFromProcessingAsync(string jobId, JobLease lease) => inner.DropFromProcessingAsync(jobId, lease);
        public Task RequeueAsync(string jobId, JobLease lease) => inner.RequeueAsync(jobId, lease);
    }

    public async Task InitializeAsync() => _redis = await TestRedis.StartAsync();

    /// <summary>The start step of worker w1, whose job must never get as far as an owner.</summary>
    private static JobLifecycle Lifecycle(IJobStore store, JobAdmission admission, string dataRoot)
    {
        var settings = PipelineSettings.Create(ConfigurationFactory.ParseString($"videoakka.worker.id = {WorkerId}"));
        return new JobLifecycle(store, admission, settings, "draft", dataRoot,
            new Ffprobe(new ToolRunner(settings.Tools)), (_, _) => throw new InvalidOperationException("the job must not get an owner"),
            new VideoAkka.Pipeline.Telemetry.PipelineMetrics(new System.Diagnostics.Metrics.Meter(nameof(JobStartSpecs))),
            NullLogger<JobLifecycle>.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_job_that_cannot_start_because_redis_failed_to_answer_goes_back_on_the_queue_with_its_record_untouched()
    {
        var keys = RedisKeys.Default;
        var store = new RedisJobStore(_redis.Connection, keys);
        using var payload = JsonDocument.Parse(JobBodies.Simple("kept-run"));
        var jobId = Guid.NewGuid().ToString();
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-start-").FullName;
        await store.SubmitAsync(JobRecord.Queued(jobId, "kept-run", Path.Combine(dataRoot, "kept-run"), payload.RootElement, DateTimeOffset.UtcNow));
        await _redis.Db.ListMoveAsync(keys.Queue, keys.Processing(WorkerId), ListSide.Right, ListSide.Left); // as the queue source pops
        var before = (string)(await _redis.Db.StringGetAsync(keys.Job(jobId)))!;
        var admission = new JobAdmission(1);
        await admission.WaitForSlotAsync(default);
        var flaky = new StoreThatFailsOnce(store);
        var lifecycle = Lifecycle(flaky, admission, dataRoot);

        var started = await lifecycle.StartAsync(jobId);

        Assert.Null(started.Run);
        Assert.Equal(before, (string)(await _redis.Db.StringGetAsync(keys.Job(jobId)))!);
        Assert.Equal([jobId], (await _redis.Db.ListRangeAsync(keys.Queue)).Select(v => (string)v!));
        Assert.Equal(0, await _redis.Db.ListLengthAsync(keys.Processing(WorkerId)));
        Assert.Equal(0, await _redis.Db.ListLengthAsync(keys.DeadLetter));
        Assert.Equal(jobId, (string)(await _redis.Db.StringGetAsync(keys.ActiveRun("kept-run")))!);
        Assert.Equal(0, admission.InFlight);
        Assert.Equal(0, await _redis.Db.SortedSetLengthAsync(keys.Leases));
    }

    [Fact]
    public async Task A_job_whose_run_id_is_held_by_another_job_is_refused_naming_it_and_the_other_keeps_its_run_id()
    {
        var keys = RedisKeys.Default;
        var store = new RedisJobStore(_redis.Connection, keys);
        using var payload = JsonDocument.Parse(JobBodies.Simple("shared-run"));
        var jobId = Guid.NewGuid().ToString();
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-start-").FullName;
        await store.SubmitAsync(JobRecord.Queued(jobId, "shared-run", Path.Combine(dataRoot, "shared-run"), payload.RootElement, DateTimeOffset.UtcNow));
        await _redis.Db.StringSetAsync(keys.ActiveRun("shared-run"), "the-other-job"); // taken over since it was queued
        await _redis.Db.ListMoveAsync(keys.Queue, keys.Processing(WorkerId), ListSide.Right, ListSide.Left);
        var admission = new JobAdmission(1);
        await admission.WaitForSlotAsync(default);
        var lifecycle = Lifecycle(store, admission, dataRoot);

        var started = await lifecycle.StartAsync(jobId);

        Assert.Null(started.Run);
        var refused = (await store.GetAsync(jobId))!;
        Assert.Equal((JobStatus.Failed, "its run_id shared-run is held by job the-other-job"), (refused.Status, refused.Error));
        Assert.Equal(JobJson.Serialize(refused), JobJson.Serialize(started.Refused!));
        Assert.Equal("the-other-job", (string)(await _redis.Db.StringGetAsync(keys.ActiveRun("shared-run")))!);
        Assert.False(Directory.Exists(Path.Combine(dataRoot, "shared-run")));
        Assert.Equal(0, admission.InFlight);
    }

    [Fact]
    public async Task A_record_the_worker_cannot_read_after_its_run_id_was_claimed_fails_and_gives_the_run_id_back()
    {
        var keys = RedisKeys.Default;
        var store = new RedisJobStore(_redis.Connection, keys);
        using var payload = JsonDocument.Parse(JobBodies.Simple("unreadable-run"));
        var jobId = Guid.NewGuid().ToString();
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-start-").FullName;
        await store.SubmitAsync(JobRecord.Queued(jobId, "unreadable-run", Path.Combine(dataRoot, "unreadable-run"), payload.RootElement, DateTimeOffset.UtcNow));
        // Its leading fields read as a queued job's (the start script claims its run id), the rest not as a record.
        var stored = (string)(await _redis.Db.StringGetAsync(keys.Job(jobId)))!;
        await _redis.Db.StringSetAsync(keys.Job(jobId), stored.Replace("\"status\":\"queued\"", "\"status\":\"paused\"", StringComparison.Ordinal));
        await _redis.Db.ListMoveAsync(keys.Queue, keys.Processing(WorkerId), ListSide.Right, ListSide.Left);
        var admission = new JobAdmission(1);
        await admission.WaitForSlotAsync(default);
        var lifecycle = Lifecycle(store, admission, dataRoot);

        var started = await lifecycle.StartAsync(jobId);

        Assert.Null(started.Run);
        var refused = (await store.GetAsync(jobId))!;
        Assert.Equal((JobStatus.Failed, "unreadable-run"), (refused.Status, refused.RunId));
        Assert.False(await _redis.Db.KeyExistsAsync(keys.ActiveRun("unreadable-run"))); // free for a new submit
        Assert.Equal(0, await _redis.Db.ListLengthAsync(keys.Processing(WorkerId)));
        Assert.Equal(0, admission.InFlight);
    }
}
