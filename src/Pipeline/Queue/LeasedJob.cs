namespace VideoAkka.Pipeline.Queue;

/// <summary>What a job's start found in Redis: whether it is leased here and, when it is, its record as stored (null:
/// missing), whether a cancel was asked for, the job its run id's guard names and the run id that guard is for (both
/// null when no claim was made: a job that is not to run, or a record not written by this service).</summary>
public sealed record LeasedJob(LeaseOutcome Outcome, string? RecordJson, bool CancelRequested, string? RunHolder, string? ClaimedRunId);
