namespace VideoAkka.Bench;

/// <summary>The last lines a child process wrote, kept to explain its failure. Lines arrive on the process's
/// output threads (stdout and stderr apart), so the queue is guarded.</summary>
internal sealed class OutputTail(int lines)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > lines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }
}
