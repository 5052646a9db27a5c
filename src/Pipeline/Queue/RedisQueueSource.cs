using Akka.Streams;
using Akka.Streams.Stage;
using StackExchange.Redis;

namespace VideoAkka.Pipeline.Queue;

/// <summary>
/// Emits the ids of queued jobs, popped on downstream demand (Alpakka's QueueSource shape): with no demand, jobs stay
/// in Redis. Each pop moves the job from the queue into this worker's processing list (BLMOVE, or a script of LMOVEs),
/// so a job taken is never only in memory. The connection must be dedicated to this source: StackExchange.Redis holds
/// every other command of a multiplexer behind a blocking one, and its timeout must outlast the block.
/// </summary>
/// <param name="prefetch">Most jobs one pop may take while the queue has jobs (each with its admission slot, in the
/// processing list): 1 pops exactly one job per pull. A worker under load sets more: one pop per pull is a Redis round
/// trip and two thread hops per job, which capped a worker at a few hundred jobs a second whatever its stages could
/// do. Jobs taken ahead wait in this stage, in order; an empty queue is always waited on with one blocking pop.</param>
/// <param name="onPutBack">Told the write that puts jobs taken ahead back on the queue as this stage stops (a stage
/// cannot await in PostStop): its owner observes how it ends.</param>
public sealed class RedisQueueSource(IConnectionMultiplexer blockingConnection, QueueSettings settings, JobAdmission admission, int prefetch,
    Action<Task> onPutBack)
    : GraphStage<SourceShape<string>>
{
    // KEYS: processing list, queue. ARGV: job ids, the first to be popped next last. Moves them back to the queue's pop end.
    private const string PutBackScript = """
        for i = 1, #ARGV do
          if redis.call('LREM', KEYS[1], 1, ARGV[i]) > 0 then redis.call('RPUSH', KEYS[2], ARGV[i]) end
        end
        return 1
        """;

    // KEYS: queue, processing list. ARGV: most jobs to take. The oldest first; as many as there are, up to the count.
    private const string TakeScript = """
        local taken = {}
        for i = 1, tonumber(ARGV[1]) do
          local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
          if not job then break end
          taken[i] = job
        end
        return taken
        """;

    private readonly Outlet<string> _out = new("RedisQueueSource.out");
    private readonly IConnectionMultiplexer _connection = blockingConnection;
    private readonly QueueSettings _settings = settings;
    private readonly JobAdmission _admission = admission;
    private readonly int _prefetch = prefetch >= 1 ? prefetch : throw new ArgumentOutOfRangeException(nameof(prefetch), "at least 1");
    private readonly Action<Task> _onPutBack = onPutBack;

    public override SourceShape<string> Shape => new(_out);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly RedisQueueSource _stage;
        private readonly CancellationTokenSource _stopped = new();
        /// <summary>Taken by one pop and not yet pushed: at most prefetch - 1, each holding its slot.</summary>
        private readonly Queue<string> _taken = new();
        private Action<Task<string[]>> _onPopped = _ => { };
        /// <summary>The last pop found jobs: the next may take several without blocking.</summary>
        private bool _queueHadJobs;

        public Logic(RedisQueueSource stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, this);
        }

        public override void PreStart() => _onPopped = GetAsyncCallback<Task<string[]>>(OnPopped);

        public override void OnPull()
        {
            if (_taken.TryDequeue(out var next))
            {
                Push(_stage._out, next);
                return;
            }
            TakeNextAsync(_queueHadJobs, _stopped.Token).ContinueWith(_onPopped, TaskContinuationOptions.ExecuteSynchronously);
        }

        public override void PostStop()
        {
            // A pop still in flight may land its job in the processing list after this; that list is recovered on
            // the next start, so nothing is lost. Jobs taken ahead go back to the head of the queue, in their order;
            // the write is handed to the stage's owner, which observes it (and if it fails, the jobs stay in the
            // processing list: a stopping worker hands the whole list back, and the reaper returns unleased pops).
            _stopped.Cancel();
            _stopped.Dispose();
            if (_taken.Count > 0)
            {
                var back = _taken.Reverse().Select(id => (RedisValue)id).ToArray();
                foreach (var _ in back)
                {
                    _stage._admission.Release();
                }
                _taken.Clear();
                Task write;
                try
                {
                    write = _stage._connection.GetDatabase().ScriptEvaluateAsync(PutBackScript, [_stage._settings.ProcessingList, _stage._settings.Keys.Queue], back);
                }
                catch (Exception ex)
                {
                    // A stopping worker closes this connection as the stage stops: the write is refused at once.
                    write = Task.FromException(ex);
                }
                _stage._onPutBack(write);
            }
        }

        private async Task<string[]> TakeNextAsync(bool queueHadJobs, CancellationToken stopped)
        {
            await _stage._admission.WaitForSlotAsync(stopped).ConfigureAwait(false);
            var slots = 1;
            try
            {
                var db = _stage._connection.GetDatabase();
                string[] popped = [];
                if (queueHadJobs && _stage._prefetch > 1)
                {
                    while (slots < _stage._prefetch && _stage._admission.TryTake())
                    {
                        slots++;
                    }
                    // Never blocks: a BLMOVE waiting on this connection would hold these behind it.
                    var result = await db.ScriptEvaluateAsync(TakeScript, [_stage._settings.Keys.Queue, _stage._settings.ProcessingList], [slots]).ConfigureAwait(false);
                    popped = [.. ((RedisResult[])result!).Select(r => r.ToString())];
                }
                if (popped.Length == 0)
                {
                    var one = await db.ExecuteAsync(
                        "BLMOVE",
                        _stage._settings.Keys.Queue,
                        _stage._settings.ProcessingList,
                        "RIGHT",
                        "LEFT",
                        _stage._settings.BlockTimeout.TotalSeconds).ConfigureAwait(false);
                    popped = one.IsNull ? [] : [one.ToString()];
                }
                for (var unused = slots - popped.Length; unused > 0; unused--)
                {
                    _stage._admission.Release();
                }
                slots = popped.Length;
                if (popped.Length > 0 && stopped.IsCancellationRequested)
                {
                    // A pop cannot be withdrawn: it landed after this stage stopped, so nobody will take these jobs.
                    // Put them back at the head of the queue for the next consumer.
                    await db.ScriptEvaluateAsync(PutBackScript, [_stage._settings.ProcessingList, _stage._settings.Keys.Queue],
                        [.. popped.Reverse().Select(id => (RedisValue)id)]).ConfigureAwait(false);
                    for (; slots > 0; slots--)
                    {
                        _stage._admission.Release();
                    }
                    return [];
                }
                return popped;
            }
            catch
            {
                for (; slots > 0; slots--)
                {
                    _stage._admission.Release();
                }
                throw;
            }
        }

        private void OnPopped(Task<string[]> popped)
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
            var jobs = popped.Result;
            _queueHadJobs = jobs.Length > 0;
            if (jobs.Length == 0)
            {
                if (IsAvailable(_stage._out))
                {
                    OnPull(); // the block timed out with the queue empty: wait again.
                }
                return;
            }
            foreach (var job in jobs.Skip(1))
            {
                _taken.Enqueue(job);
            }
            Push(_stage._out, jobs[0]);
        }
    }
}
