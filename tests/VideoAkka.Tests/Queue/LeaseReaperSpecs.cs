using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Queue;

/// <summary>Issue 10: leases and the reaper on a real redis-server. A job whose worker is lost goes back to the queue
/// (an attempt counted), or to the dead letter at max-attempts; a pop that never got a lease is recovered too.</summary>
public sealed class LeaseReaperSpecs : IAsyncLifetime
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(300);
    private readonly RedisKeys _keys = RedisKeys.Default;
    private TestRedis _redis = null!;

    private IDatabase Db => _redis.Db;

    public async Task InitializeAsync() => _redis = await TestRedis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private QueueSettings Worker(string workerId, TimeSpan? lease = null, int maxAttempts = 3) =>
        new(_keys, workerId, TimeSpan.FromSeconds(1), lease ?? ShortLease, maxAttempts);

    /// <summary>Submits a job and pops it into the worker's processing list, as the queue source does.</summary>
    private async Task<string> PopAsync(QueueSettings worker, string runId)
    {
        var jobId = Guid.NewGuid().ToString();
        using var payload = JsonDocument.Parse(JobBodies.Simple(runId));
        await new RedisJobStore(_redis.Connection, _keys).SubmitAsync(JobRecord.Queued(jobId, runId, "/tmp/" + runId, payload.RootElement, DateTimeOffset.UtcNow));
        await Db.ListMoveAsync(_keys.Queue, worker.ProcessingList, ListSide.Right, ListSide.Left);
        await Db.SetAddAsync(_keys.Workers, worker.WorkerId);
        return jobId;
    }

    private async Task<string> RunningAsync(QueueSettings worker, string runId) => (await LeasedAsync(worker, runId)).JobId;

    private async Task<(string JobId, JobLease Lease)> LeasedAsync(QueueSettings worker, string runId)
    {
        var jobId = await PopAsync(worker, runId);
        var (outcome, lease) = await new JobLeases(_redis.Connection, worker).AcquireAsync(jobId);
        Assert.Equal(LeaseOutcome.Acquired, outcome);
        return (jobId, lease!);
    }

    private async Task<string[]> QueueAsync() => [.. (await Db.ListRangeAsync(_keys.Queue)).Select(v => v.ToString())];

    [Fact]
    public async Task An_expired_lease_puts_its_job_back_at_the_head_of_the_queue_and_counts_an_attempt()
    {
        var lost = Worker("lost");
        var jobId = await RunningAsync(lost, "lost-run");
        using var payload = JsonDocument.Parse(JobBodies.Simple("waiting-run"));
        var waiting = Guid.NewGuid().ToString(); // queued meanwhile: the lost job goes in front of it
        await new RedisJobStore(_redis.Connection, _keys).SubmitAsync(JobRecord.Queued(waiting, "waiting-run", "/tmp/w", payload.RootElement, DateTimeOffset.UtcNow));
        await Task.Delay(ShortLease * 3);

        var report = await new LeaseReaper(_redis.Connection, Worker("reaper")).SweepAsync();

        Assert.Equal([jobId], report.Requeued);
        Assert.Equal([waiting, jobId], await QueueAsync()); // the right end pops first
        Assert.Empty(await Db.ListRangeAsync(lost.ProcessingList));
        Assert.Equal(1, (long)await Db.HashGetAsync(_keys.Attempts, jobId));
        Assert.False((await Db.SortedSetScoreAsync(_keys.Leases, jobId)).HasValue);
        Assert.False(await Db.HashExistsAsync(_keys.LeaseHolders, jobId));
    }

    [Fact]
    public async Task A_live_lease_is_left_alone()
    {
        var worker = Worker("alive", lease: TimeSpan.FromSeconds(30));
        var jobId = await RunningAsync(worker, "alive-run");

        var report = await new LeaseReaper(_redis.Connection, Worker("reaper")).SweepAsync();

        Assert.True(report.IsEmpty);
        Assert.Equal([jobId], (await Db.ListRangeAsync(worker.ProcessingList)).Select(v => v.ToString()));
    }

    [Fact]
    public async Task The_loss_that_reaches_max_attempts_fails_the_job_into_the_dead_letter_with_the_reason()
    {
        var lost = Worker("lost", maxAttempts: 2);
        var jobId = await RunningAsync(lost, "poison-run");
        await Db.HashSetAsync(_keys.Attempts, jobId, 1); // lost once already
        await Task.Delay(ShortLease * 3);

        var report = await new LeaseReaper(_redis.Connection, Worker("reaper", maxAttempts: 2)).SweepAsync();

        var buried = Assert.Single(report.Buried);
        Assert.Equal(jobId, buried.JobId);
        var record = JobJson.DeserializeRecord((string)(await Db.StringGetAsync(_keys.Job(jobId)))!)!;
        Assert.Equal(JobStatus.Failed, record.Status);
        Assert.Equal("worker lost 2 times (videoakka.worker.max-attempts = 2)", record.Error);
        Assert.Equal("poison-run", record.RunId);
        var deadLetter = JsonDocument.Parse((string)(await Db.ListGetByIndexAsync(_keys.DeadLetter, 0))!).RootElement;
        Assert.Equal(["job_id", "payload", "error"], deadLetter.EnumerateObject().Select(p => p.Name));
        Assert.Equal(record.Error, deadLetter.GetProperty("error").GetString());
        Assert.Equal("poison-run", deadLetter.GetProperty("payload").GetProperty("run_id").GetString());
        Assert.Empty(await QueueAsync());
        Assert.Empty(await Db.ListRangeAsync(lost.ProcessingList));
        Assert.False(await Db.KeyExistsAsync(_keys.ActiveRun("poison-run")));
        Assert.False(await Db.HashExistsAsync(_keys.Attempts, jobId));
    }

    [Fact]
    public async Task A_job_failed_by_the_reaper_keeps_the_stage_and_progress_it_last_reported_and_its_progress_key_goes()
    {
        var lost = Worker("lost", maxAttempts: 1);
        var (jobId, lease) = await LeasedAsync(lost, "reported-run");
        var store = new RedisJobStore(_redis.Connection, _keys);
        var queued = JobJson.DeserializeRecord((string)(await Db.StringGetAsync(_keys.Job(jobId)))!)!;
        var running = queued with { Status = JobStatus.Running, Stage = JobStages.Preparing };
        Assert.True(await store.SaveAsync(running, lease));
        Assert.True(await store.SaveProgressAsync(running with { Stage = JobStages.VideoGen, Progress = 0.625 }, lease));
        await Task.Delay(ShortLease * 3);

        await new LeaseReaper(_redis.Connection, Worker("reaper", maxAttempts: 1)).SweepAsync();

        var record = JobJson.DeserializeRecord((string)(await Db.StringGetAsync(_keys.Job(jobId)))!)!;
        Assert.Equal((JobStatus.Failed, JobStages.VideoGen, 0.625), (record.Status, record.Stage, record.Progress));
        Assert.False(await Db.KeyExistsAsync(_keys.Progress(jobId)));
    }

    [Fact]
    public async Task An_unleased_pop_in_the_list_of_a_worker_that_is_gone_goes_back_at_once_without_an_attempt()
    {
        var gone = Worker("gone");
        var jobId = await PopAsync(gone, "unleased-run"); // no claim key: the worker is not alive

        var report = await new LeaseReaper(_redis.Connection, Worker("reaper")).SweepAsync();

        Assert.Equal(1, report.Recovered);
        Assert.Equal([jobId], await QueueAsync());
        Assert.False(await Db.HashExistsAsync(_keys.Attempts, jobId));
    }

    [Fact]
    public async Task A_pop_whose_reply_was_lost_by_a_live_worker_goes_back_once_it_has_stayed_unleased_for_a_whole_lease()
    {
        var alive = Worker("alive");
        await Db.StringSetAsync(_keys.Worker("alive"), "token", TimeSpan.FromSeconds(30)); // its claim: it is running
        var jobId = await PopAsync(alive, "lost-reply-run");
        var reaper = new LeaseReaper(_redis.Connection, Worker("reaper"));

        var first = await reaper.SweepAsync();
        await Task.Delay(ShortLease * 3);
        var later = await reaper.SweepAsync();

        Assert.Equal(0, first.Recovered); // a fresh pop gets its lease within moments: not yet
        Assert.Equal(1, later.Recovered);
        Assert.Equal([jobId], await QueueAsync());
        Assert.Equal(LeaseOutcome.NotInList, (await new JobLeases(_redis.Connection, alive).AcquireAsync(jobId)).Outcome);
    }

    [Fact]
    public async Task Several_reapers_sweeping_at_once_put_an_expired_job_back_once()
    {
        var jobId = await RunningAsync(Worker("lost"), "race-run");
        await Task.Delay(ShortLease * 3);

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => new LeaseReaper(_redis.Connection, Worker($"reaper-{i}")).SweepAsync()));

        Assert.Equal(1, reports.Sum(r => r.Requeued.Count));
        Assert.Equal([jobId], await QueueAsync());
        Assert.Equal(1, (long)await Db.HashGetAsync(_keys.Attempts, jobId));
    }

    [Fact]
    public async Task Renewing_reports_the_jobs_whose_lease_was_taken_back_and_extends_the_others()
    {
        var worker = Worker("slow", lease: TimeSpan.FromSeconds(1));
        var leases = new JobLeases(_redis.Connection, worker);
        var kept = await LeasedAsync(worker, "kept-run");
        var taken = await LeasedAsync(worker, "taken-run");
        await Db.HashSetAsync(_keys.LeaseHolders, taken.JobId, "someone-else/1");
        var before = (await Db.SortedSetScoreAsync(_keys.Leases, kept.JobId))!.Value;
        await Task.Delay(50);

        var (lost, _) = await leases.RenewAsync([kept, taken]);

        Assert.Equal([taken.JobId], lost);
        Assert.True((await Db.SortedSetScoreAsync(_keys.Leases, kept.JobId))!.Value > before);
    }

    [Fact]
    public async Task A_job_queued_twice_is_not_leased_twice_and_its_second_copy_leaves_the_list()
    {
        var worker = Worker("w", lease: TimeSpan.FromSeconds(30));
        var jobId = await RunningAsync(worker, "twice-run");
        await Db.ListLeftPushAsync(worker.ProcessingList, jobId); // popped again while it runs

        var (outcome, lease) = await new JobLeases(_redis.Connection, worker).AcquireAsync(jobId);

        Assert.Equal(LeaseOutcome.HeldAlready, outcome);
        Assert.Null(lease);
        Assert.Equal([jobId], (await Db.ListRangeAsync(worker.ProcessingList)).Select(v => v.ToString()));
    }

    [Fact]
    public async Task A_worker_that_lost_a_job_can_no_longer_write_its_record_nor_finish_it()
    {
        var worker = Worker("zombie");
        var store = new RedisJobStore(_redis.Connection, _keys);
        var (jobId, lease) = await LeasedAsync(worker, "zombie-run");
        var queued = (await store.GetAsync(jobId))!;
        await Task.Delay(ShortLease * 3);
        await new LeaseReaper(_redis.Connection, Worker("reaper")).SweepAsync();

        var saved = await store.SaveAsync(queued with { Status = JobStatus.Running, Progress = 0.5 }, lease);
        var finished = await store.FinishAsync(queued with { Status = JobStatus.Completed }, null, lease);

        Assert.False(saved);
        Assert.False(finished);
        Assert.Equal(JobStatus.Queued, (await store.GetAsync(jobId))!.Status);
        Assert.True(await Db.KeyExistsAsync(_keys.ActiveRun("zombie-run")));
    }

    [Fact]
    public async Task A_finish_retried_after_its_success_went_unanswered_succeeds_without_a_second_dead_letter()
    {
        var worker = Worker("w", lease: TimeSpan.FromSeconds(30));
        var store = new RedisJobStore(_redis.Connection, _keys);
        var (jobId, lease) = await LeasedAsync(worker, "retried-run");
        var failed = (await store.GetAsync(jobId))! with { Status = JobStatus.Failed, Error = "boom" };
        var entry = new DeadLetterEntry(jobId, failed.Payload, "boom");

        Assert.True(await store.FinishAsync(failed, entry, lease));
        Assert.True(await store.FinishAsync(failed, entry, lease));

        Assert.Equal(1, await Db.ListLengthAsync(_keys.DeadLetter));
    }
}
