namespace VideoAkka.Pipeline.Queue;

/// <summary>How long Redis keeps what finished jobs leave behind (videoakka.retention), so it never fills up.</summary>
/// <param name="Records">A finished job's record (and a failed or cancelled job's journal, kept for a retry) expire
/// this long after the job finishes; a run-id guard expires this long after it is taken, so none outlives its job.</param>
/// <param name="DeadLetter">The dead letter keeps this many newest entries.</param>
/// <param name="KeepCompletedJournals">A completed job's journal expires with its record instead of being deleted at
/// once (for audits, and for specs that count a job's events).</param>
public sealed record Retention(TimeSpan Records, int DeadLetter, bool KeepCompletedJournals = false)
{
    public static Retention Default { get; } = new(TimeSpan.FromDays(30), 10_000);

    public long RecordsMs => (long)Records.TotalMilliseconds;
}
