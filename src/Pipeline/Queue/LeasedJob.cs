namespace VideoAkka.Pipeline.Queue;

/// <summary>What a job's start found in Redis: whether it is leased here and, when it is, its record as stored (null:
/// missing), whether a cancel was asked for, and the job its run id's guard names (null: the claim was not made, for a
/// job that is not to run or a record the script could not read).</summary>
public sealed record LeasedJob(LeaseOutcome Outcome, string? RecordJson, bool CancelRequested, string? RunHolder);
