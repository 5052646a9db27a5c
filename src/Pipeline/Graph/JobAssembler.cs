using System.Collections.Immutable;
using Akka.Streams;
using Akka.Streams.Stage;

namespace VideoAkka.Pipeline.Graph;

/// <summary>
/// The fan-in: collects each job's scenes and voiceover (parts of many jobs arrive interleaved) and emits the job,
/// assembled, on the first outlet once every part is there. The first failed part of a job is emitted at once on the
/// second outlet, and that job's later parts are dropped. It stops pulling while it holds
/// <see cref="_maxReady"/> jobs its outlets have not taken, so a slow render backpressures all the way to Redis.
/// </summary>
public sealed class JobAssembler(int maxReady = 1) : GraphStage<FanOutShape<JobPart, AssembledJob, JobFailed>>
{
    private readonly int _maxReady = maxReady;
    private readonly Inlet<JobPart> _in = new("JobAssembler.in");
    private readonly Outlet<AssembledJob> _assembled = new("JobAssembler.assembled");
    private readonly Outlet<JobFailed> _failed = new("JobAssembler.failed");

    public override FanOutShape<JobPart, AssembledJob, JobFailed> Shape => new(_in, _assembled, _failed);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Pending(int expected)
    {
        public int Expected { get; } = expected;
        public int Received { get; set; }
        public bool Failed { get; set; }
        public List<SceneMade> Scenes { get; } = [];
        public VoiceoverMade? Voiceover { get; set; }
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly JobAssembler _stage;
        // Keyed by the run, not the job id: a job leased again by this worker while an abandoned run of it still drains
        // through the graph has two runs here at once, and their parts must never be counted together.
        private readonly Dictionary<JobRun, Pending> _pending = new(ReferenceEqualityComparer.Instance);
        private readonly Queue<AssembledJob> _readyAssembled = new();
        private readonly Queue<JobFailed> _readyFailed = new();

        public Logic(JobAssembler stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish);
            SetHandler(stage._assembled, onPull: Flush);
            SetHandler(stage._failed, onPull: Flush);
        }

        public override void PreStart() => Pull(_stage._in);

        private void OnPush()
        {
            Accept(Grab(_stage._in));
            Flush();
        }

        private void Accept(JobPart part)
        {
            var jobId = part.Job.JobId;
            if (!_pending.TryGetValue(part.Job, out var pending))
            {
                pending = new Pending(part.Job.PartCount);
                _pending[part.Job] = pending;
            }
            pending.Received++;

            if (!pending.Failed)
            {
                switch (part)
                {
                    case PartFailed failed:
                        pending.Failed = true;
                        // Its owner has recorded the failure already; the reason here is for the log.
                        _readyFailed.Enqueue(new JobFailed(part.Job, failed.Error));
                        break;
                    case SceneMade scene:
                        pending.Scenes.Add(scene);
                        break;
                    case VoiceoverMade voiceover:
                        pending.Voiceover = voiceover;
                        break;
                }
                if (!pending.Failed && pending.Received == pending.Expected)
                {
                    _readyAssembled.Enqueue(new AssembledJob(
                        part.Job,
                        [.. pending.Scenes.OrderBy(s => s.Index)],
                        pending.Voiceover?.Voiceover));
                }
            }

            if (pending.Received >= pending.Expected)
            {
                _pending.Remove(part.Job);
            }
        }

        private void Flush()
        {
            if (_readyFailed.Count > 0 && IsAvailable(_stage._failed))
            {
                Push(_stage._failed, _readyFailed.Dequeue());
            }
            if (_readyAssembled.Count > 0 && IsAvailable(_stage._assembled))
            {
                Push(_stage._assembled, _readyAssembled.Dequeue());
            }

            if (IsClosed(_stage._in))
            {
                if (_readyAssembled.Count == 0 && _readyFailed.Count == 0)
                {
                    CompleteStage();
                }
                return;
            }
            if (!HasBeenPulled(_stage._in) && _readyAssembled.Count < _stage._maxReady && _readyFailed.Count < _stage._maxReady)
            {
                Pull(_stage._in);
            }
        }

        private void OnUpstreamFinish()
        {
            // Parts of unfinished jobs can no longer arrive; whatever is ready still goes out.
            Flush();
        }
    }
}
