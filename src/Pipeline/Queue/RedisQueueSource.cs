using Akka.Streams;
using Akka.Streams.Stage;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Emits the ids of queued jobs, one Redis pop per downstream pull (Alpakka's QueueSource shape): with no demand,
/// jobs stay in Redis. Each pop is a blocking BLMOVE from the queue into this worker's processing list, so a job
/// taken is never only in memory. The connection must be dedicated to this source: StackExchange.Redis holds every
/// other command of a multiplexer behind a blocking one, and its timeout must outlast the block.
/// </summary>
public sealed class RedisQueueSource(IConnectionMultiplexer blockingConnection, QueueSettings settings, JobAdmission admission)
    : GraphStage<SourceShape<string>>
{
    // KEYS: processing list, queue. ARGV: job id. Moves the job back to the queue's pop end.
    private const string PutBackScript = """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[1]) end
        return 1
        """;

    private readonly Outlet<string> _out = new("RedisQueueSource.out");
    private readonly IConnectionMultiplexer _connection = blockingConnection;
    private readonly QueueSettings _settings = settings;
    private readonly JobAdmission _admission = admission;

    public override SourceShape<string> Shape => new(_out);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly RedisQueueSource _stage;
        private readonly CancellationTokenSource _stopped = new();
        private Action<Task<string?>> _onPopped = _ => { };

        public Logic(RedisQueueSource stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, this);
        }

        public override void PreStart() => _onPopped = GetAsyncCallback<Task<string?>>(OnPopped);

        public override void OnPull() => TakeNextAsync(_stopped.Token).ContinueWith(_onPopped, TaskContinuationOptions.ExecuteSynchronously);

        public override void PostStop()
        {
            // A pop still in flight may land its job in the processing list after this; that list is recovered on
            // the next start, so nothing is lost.
            _stopped.Cancel();
            _stopped.Dispose();
        }

        private async Task<string?> TakeNextAsync(CancellationToken stopped)
        {
            await _stage._admission.WaitForSlotAsync(stopped).ConfigureAwait(false);
            try
            {
                var popped = await _stage._connection.GetDatabase().ExecuteAsync(
                    "BLMOVE",
                    _stage._settings.Keys.Queue,
                    _stage._settings.ProcessingList,
                    "RIGHT",
                    "LEFT",
                    _stage._settings.BlockTimeout.TotalSeconds).ConfigureAwait(false);
                if (popped.IsNull)
                {
                    _stage._admission.Release();
                    return null;
                }
                var jobId = popped.ToString();
                if (stopped.IsCancellationRequested)
                {
                    // A blocking pop cannot be withdrawn: it landed after this stage stopped, so nobody will take
                    // this job. Put it back at the head of the queue for the next consumer.
                    await _stage._connection.GetDatabase().ScriptEvaluateAsync(PutBackScript,
                        [_stage._settings.ProcessingList, _stage._settings.Keys.Queue], [jobId]).ConfigureAwait(false);
                    _stage._admission.Release();
                    return null;
                }
                return jobId;
            }
            catch
            {
                _stage._admission.Release();
                throw;
            }
        }

        private void OnPopped(Task<string?> popped)
        {
            if (popped.IsCanceled)
            {
                return;
            }
            if (popped.IsFaulted)
            {
                // The connection is broken: fail, and let the RestartSource around us back off and reconnect.
                FailStage(popped.Exception!.GetBaseException());
                return;
            }
            if (popped.Result is { } jobId)
            {
                Push(_stage._out, jobId);
            }
            else if (IsAvailable(_stage._out))
            {
                OnPull(); // the block timed out with the queue empty: wait again.
            }
        }
    }
}
