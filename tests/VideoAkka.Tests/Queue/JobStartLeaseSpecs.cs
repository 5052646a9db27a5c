using System.Text.Json;
using StackExchange.Redis;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Queue;

/// <summary>Issue 14: a job's start is one script on a real redis-server: its lease, its record, its cancel request
/// and its run id's guard, read and claimed together (one round trip where there were three).</summary>
public sealed class JobStartLeaseSpecs : IAsyncLifetime
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);
    private readonly RedisKeys _keys = RedisKeys.Default;
    private readonly QueueSettings _worker = new(RedisKeys.Default, "w1", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    private TestRedis _redis = null!;

    private IDatabase Db => _redis.Db;

    private RedisJobStore Store => new(_redis.Connection, _keys);

    public async Task InitializeAsync() => _redis = await TestRedis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    /// <summary>Submits a job and pops it into the worker's processing list, as the queue source does.</summary>
    private async Task<string> PopAsync(string runId)
    {
        var jobId = Guid.NewGuid().ToString();
        using var payload = JsonDocument.Parse(JobBodies.Simple(runId));
        await Store.SubmitAsync(JobRecord.Queued(jobId, runId, "/tmp/" + runId, payload.RootElement, DateTimeOffset.UtcNow));
        await Db.ListMoveAsync(_keys.Queue, _worker.ProcessingList, ListSide.Right, ListSide.Left);
        return jobId;
    }

    [Fact]
    public async Task A_popped_job_is_leased_and_its_record_read_and_its_run_id_claimed_in_one_step()
    {
        var jobId = await PopAsync("start-run");
        await Db.KeyDeleteAsync(_keys.ActiveRun("start-run")); // queued by another producer: its guard is free
        var lease = JobLease.New(_worker.WorkerId);

        var leased = await Store.LeaseAsync(jobId, lease, LeaseFor);

        Assert.Equal(LeaseOutcome.Acquired, leased.Outcome);
        Assert.Equal((string?)await Db.StringGetAsync(_keys.Job(jobId)), leased.RecordJson);
        Assert.False(leased.CancelRequested);
        Assert.Equal((jobId, "start-run"), (leased.RunHolder, leased.ClaimedRunId));
        Assert.Equal(jobId, (string?)await Db.StringGetAsync(_keys.ActiveRun("start-run")));
        Assert.Equal(lease.Holder, (string?)await Db.HashGetAsync(_keys.LeaseHolders, jobId));
        Assert.NotNull(await Db.SortedSetScoreAsync(_keys.Leases, jobId));
    }

    [Fact]
    public async Task A_run_id_held_by_another_job_is_named_and_left_to_it()
    {
        var jobId = await PopAsync("shared-run");
        await Db.StringSetAsync(_keys.ActiveRun("shared-run"), "other-job");

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Equal("other-job", leased.RunHolder);
        Assert.Equal("other-job", (string?)await Db.StringGetAsync(_keys.ActiveRun("shared-run")));
    }

    [Fact]
    public async Task A_cancel_request_is_read_and_the_run_id_is_not_claimed_for_a_job_that_will_not_run()
    {
        var jobId = await PopAsync("cancel-run");
        await Db.KeyDeleteAsync(_keys.ActiveRun("cancel-run"));
        await Db.StringSetAsync(_keys.CancelRequested(jobId), "1");

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Equal(LeaseOutcome.Acquired, leased.Outcome);
        Assert.True(leased.CancelRequested);
        Assert.Null(leased.RunHolder);
        Assert.False(await Db.KeyExistsAsync(_keys.ActiveRun("cancel-run")));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public async Task A_finished_jobs_run_id_is_not_claimed_again(string status)
    {
        var jobId = await PopAsync("finished-run");
        await Db.KeyDeleteAsync(_keys.ActiveRun("finished-run"));
        var record = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>((string)(await Db.StringGetAsync(_keys.Job(jobId)))!)!;
        record["status"] = JsonSerializer.SerializeToElement(status);
        await Db.StringSetAsync(_keys.Job(jobId), JsonSerializer.Serialize(record));

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Contains($"\"status\":\"{status}\"", leased.RecordJson, StringComparison.Ordinal);
        Assert.Null(leased.RunHolder);
        Assert.False(await Db.KeyExistsAsync(_keys.ActiveRun("finished-run")));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"run_id":"garbled-run","job_id":"x","status":"queued"}""")]
    [InlineData("""{"job_id":"x","run_id":"garbled run","status":"queued"}""")]
    public async Task A_record_this_service_did_not_write_is_returned_as_stored_with_no_claim_made(string stored)
    {
        var jobId = await PopAsync("garbled-run");
        await Db.KeyDeleteAsync(_keys.ActiveRun("garbled-run"));
        await Db.StringSetAsync(_keys.Job(jobId), stored);

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Equal((stored, (string?)null, (string?)null), (leased.RecordJson, leased.RunHolder, leased.ClaimedRunId));
        Assert.False(await Db.KeyExistsAsync(_keys.ActiveRun("garbled-run")));
    }

    [Fact]
    public async Task A_job_no_longer_in_the_processing_list_is_not_leased_and_nothing_is_read()
    {
        var jobId = await PopAsync("gone-run");
        await Db.ListRemoveAsync(_worker.ProcessingList, jobId);

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Equal(new LeasedJob(LeaseOutcome.NotInList, null, false, null, null), leased);
        Assert.False(await Db.HashExistsAsync(_keys.LeaseHolders, jobId));
    }

    [Fact]
    public async Task A_job_leased_already_elsewhere_leaves_this_list_and_is_not_run_here()
    {
        var jobId = await PopAsync("twice-run");
        await Db.HashSetAsync(_keys.LeaseHolders, jobId, "w2/other");

        var leased = await Store.LeaseAsync(jobId, JobLease.New(_worker.WorkerId), LeaseFor);

        Assert.Equal(LeaseOutcome.HeldAlready, leased.Outcome);
        Assert.Equal(0, await Db.ListLengthAsync(_worker.ProcessingList));
        Assert.Equal("w2/other", (string?)await Db.HashGetAsync(_keys.LeaseHolders, jobId));
    }
}
