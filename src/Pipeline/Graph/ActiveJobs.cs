using System.Collections.Concurrent;

namespace VideoAkka.Pipeline.Graph;

/// <summary>The jobs this worker is running, by id: the one place that owns their cancellation (later, the cancel
/// endpoint and timeouts find a job here).</summary>
public sealed class ActiveJobs
{
    private readonly ConcurrentDictionary<string, JobRun> _runs = new();

    public int Count => _runs.Count;

    public void Add(JobRun run) => _runs[run.JobId] = run;

    public bool TryGet(string jobId, out JobRun? run) => _runs.TryGetValue(jobId, out run);

    public void Remove(JobRun run) => _runs.TryRemove(new KeyValuePair<string, JobRun>(run.JobId, run));
}
