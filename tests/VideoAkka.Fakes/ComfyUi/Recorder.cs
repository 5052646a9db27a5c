namespace VideoAkka.Fakes;

/// <summary>An append-only list that many request threads add to and tests read snapshots of.</summary>
internal sealed class RecordLog<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }
}

/// <summary>What the fake saw, for the tests' assertions.</summary>
internal sealed class Recorder
{
    public RecordLog<string> Requests { get; } = new();
    public RecordLog<FakeSubmission> Submissions { get; } = new();
    public RecordLog<FakeSubmission> Rejected { get; } = new();
    public RecordLog<string> Deleted { get; } = new();
    public RecordLog<string?> Interrupts { get; } = new();
    public RecordLog<FakeUpload> Uploads { get; } = new();
}
