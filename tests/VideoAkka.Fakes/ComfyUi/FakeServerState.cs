using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>Everything that changes while the fake runs, behind one lock: the queue, the history, the sockets and
/// the counters. Every WebSocket frame is queued while holding that lock, so each socket sees the frames in the
/// order the state changed (a status never overtakes the change it reports). Token cancellation happens outside
/// the lock because it runs the cancelled run's continuations inline.</summary>
internal sealed class FakeServerState(FakeComfyUiOptions options)
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly Dictionary<string, SocketConnection> _sockets = new(StringComparer.Ordinal);
    private readonly List<PromptRun> _pending = [];
    private readonly List<PromptRun> _running = [];
    private readonly HistoryBook _history = new();
    private Func<PromptRun, Task> _execute = _ => Task.CompletedTask;
    private double _nextNumber;
    private long _sequence;
    private int _maxInFlight;
    private int _maxRunning;
    private int _completed;

    public CancellationToken KillToken => _kill.Token;

    public bool Killed => _kill.IsCancellationRequested;

    public void ExecuteWith(Func<PromptRun, Task> execute) => _execute = execute;

    /// <summary>server.py's counter: it goes up on every POST without "number", refused ones included.</summary>
    public double TakeNumber(bool front)
    {
        lock (_lock)
        {
            var number = _nextNumber++;
            return front ? -number : number;
        }
    }

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Enqueue(PromptRun run)
    {
        lock (_lock)
        {
            if (Killed)
            {
                return;
            }
            _pending.Add(run);
            _maxInFlight = Math.Max(_maxInFlight, _pending.Count + _running.Count);
            BroadcastStatusLocked();
            PumpLocked();
        }
    }

    /// <summary>POST /queue {"delete": [...]}: pending prompts only; a running one is not touched.</summary>
    public void DeletePending(IReadOnlyCollection<string> promptIds)
    {
        lock (_lock)
        {
            var removed = _pending.RemoveAll(r => promptIds.Contains(r.PromptId));
            if (removed > 0)
            {
                BroadcastStatusLocked();
            }
        }
    }

    public void ClearPending()
    {
        lock (_lock)
        {
            _pending.Clear();
            BroadcastStatusLocked();
        }
    }

    /// <summary>POST /interrupt: a prompt id interrupts only that prompt, and only while it runs; null interrupts
    /// whatever runs. An interrupt while nothing runs has no lasting effect.</summary>
    public void Interrupt(string? promptId)
    {
        List<PromptRun> targets;
        lock (_lock)
        {
            targets = _running.Where(r => promptId is null || r.PromptId == promptId).ToList();
        }
        targets.ForEach(r => r.RequestInterrupt());
    }

    /// <summary>Execution events: only to the socket of the prompt's client_id; nobody gets them without one.</summary>
    public void SendToClient(PromptRun run, JsonObject frame)
    {
        lock (_lock)
        {
            SendToClientLocked(run, frame);
        }
    }

    /// <summary>progress, progress_state and execution_interrupted are sent with the prompt's client_id as sid,
    /// which without a client_id means to every socket.</summary>
    public void SendProgress(PromptRun run, JsonObject frame)
    {
        lock (_lock)
        {
            SendProgressLocked(run, frame);
        }
    }

    /// <summary>A node starts: its progress_state and executing frames go out together with the change of the
    /// current node, so a socket reconnecting in between sees a consistent story.</summary>
    public void EnterNode(PromptRun run, string nodeId, JsonObject progressState)
    {
        lock (_lock)
        {
            run.CurrentNode = nodeId;
            SendProgressLocked(run, progressState);
            SendToClientLocked(run, ComfyMessages.Executing(nodeId, run.PromptId));
        }
    }

    /// <summary>The end of every run (success, error, interrupt), in server order: history stored, status
    /// broadcast, then executing{node:null}, which tells the client the history is complete.</summary>
    public void Finish(PromptRun run, JsonObject historyEntry)
    {
        lock (_lock)
        {
            if (Killed || !_running.Remove(run))
            {
                return;
            }
            _history.Put(run.PromptId, historyEntry);
            _completed++;
            BroadcastStatusLocked();
            SendToClientLocked(run, ComfyMessages.ExecutingDone(run.PromptId));
            PumpLocked();
        }
    }

    /// <summary>A new socket gets status with its sid; if its client's prompt is running it is also told the node.
    /// The newest socket of a clientId receives that client's events.</summary>
    public bool Attach(SocketConnection socket)
    {
        lock (_lock)
        {
            if (Killed)
            {
                return false;
            }
            _sockets[socket.Sid] = socket;
            socket.Enqueue(ComfyMessages.Status(RemainingLocked(), socket.Sid));
            foreach (var run in _running.Where(r => r.ClientId == socket.Sid && r.CurrentNode is not null))
            {
                socket.Enqueue(ComfyMessages.ExecutingNodeOnly(run.CurrentNode!));
            }
            return true;
        }
    }

    public void Detach(SocketConnection socket)
    {
        lock (_lock)
        {
            // Only if it is still the registered one: a newer socket with the same clientId keeps receiving.
            if (_sockets.TryGetValue(socket.Sid, out var current) && ReferenceEquals(current, socket))
            {
                _sockets.Remove(socket.Sid);
            }
        }
    }

    /// <summary>Like a killed process: sockets drop, queued and running prompts are lost, nothing more is sent.</summary>
    /// <summary>Drops every open WebSocket (no close frame) while the server keeps running its prompts: a network
    /// blip or a proxy timing out idle sockets. Events meant for a dropped socket are lost until its client reconnects.</summary>
    public void DropSockets()
    {
        List<SocketConnection> sockets;
        lock (_lock)
        {
            sockets = [.. _sockets.Values];
            _sockets.Clear();
        }
        sockets.ForEach(s => s.Abort());
    }

    public void Kill()
    {
        List<SocketConnection> sockets;
        lock (_lock)
        {
            sockets = [.. _sockets.Values];
            _sockets.Clear();
            _pending.Clear();
            _running.Clear();
        }
        // Outside the lock: aborting completes the sockets' pending reads inline.
        sockets.ForEach(s => s.Abort());
        _kill.Cancel();
    }

    public JsonObject QueueJson()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["queue_running"] = new JsonArray([.. _running.Select(r => (JsonNode)r.QueueItem())]),
                ["queue_pending"] = new JsonArray([.. PendingInOrderLocked().Select(r => (JsonNode)r.QueueItem())]),
            };
        }
    }

    public int QueueRemaining
    {
        get
        {
            lock (_lock)
            {
                return RemainingLocked();
            }
        }
    }

    public JsonObject History(string promptId)
    {
        lock (_lock)
        {
            return _history.One(promptId);
        }
    }

    public JsonObject History(int? maxItems, int offset)
    {
        lock (_lock)
        {
            return _history.Many(maxItems, offset);
        }
    }

    public void EditHistory(bool clear, IEnumerable<string> delete)
    {
        lock (_lock)
        {
            if (clear)
            {
                _history.Clear();
            }
            foreach (var id in delete)
            {
                _history.Delete(id);
            }
        }
    }

    public (int InFlight, int MaxInFlight, int Running, int MaxRunning, int Completed) Counters()
    {
        lock (_lock)
        {
            return (_pending.Count + _running.Count, _maxInFlight, _running.Count, _maxRunning, _completed);
        }
    }

    private int RemainingLocked() => _pending.Count + _running.Count;

    private IEnumerable<PromptRun> PendingInOrderLocked() =>
        _pending.OrderBy(r => r.Submission.Number).ThenBy(r => r.Sequence);

    /// <summary>Starts pending prompts while fewer than Parallel run; each start broadcasts status, as the real
    /// queue's get() does.</summary>
    private void PumpLocked()
    {
        while (!Killed && _running.Count < Math.Max(1, options.Parallel) && PendingInOrderLocked().FirstOrDefault() is { } next)
        {
            _pending.Remove(next);
            _running.Add(next);
            _maxRunning = Math.Max(_maxRunning, _running.Count);
            BroadcastStatusLocked();
            _ = Task.Run(() => _execute(next));
        }
    }

    private void SendToClientLocked(PromptRun run, JsonObject frame)
    {
        if (run.ClientId is { } client && _sockets.TryGetValue(client, out var socket))
        {
            socket.Enqueue(frame);
        }
    }

    private void SendProgressLocked(PromptRun run, JsonObject frame)
    {
        if (run.ClientId is null)
        {
            BroadcastLocked(frame);
        }
        else if (_sockets.TryGetValue(run.ClientId, out var socket))
        {
            socket.Enqueue(frame);
        }
    }

    private void BroadcastStatusLocked() => BroadcastLocked(ComfyMessages.Status(RemainingLocked()));

    private void BroadcastLocked(JsonObject frame)
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Enqueue(frame);
        }
    }
}
