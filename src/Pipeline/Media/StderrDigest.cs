namespace VideoAkka.Pipeline.Media;

/// <summary>
/// What a tool's stderr said, kept small: its first complaints (ffmpeg's first error is usually the cause, and a warning
/// per frame must not push it out) and its last lines. One owner: CliWrap's one stderr reader adds the lines in order,
/// and the digest is read only once the command has completed, which CliWrap does after that reader has finished.
/// </summary>
internal sealed class StderrDigest(int complaintLines, int tailLines)
{
    private readonly List<string> _complaints = new(complaintLines);
    private readonly Queue<string> _tail = new(tailLines);

    public void Add(string line)
    {
        if (_complaints.Count < complaintLines && !ToolStderr.IsNoise(line) && ToolStderr.IsComplaint(line))
        {
            _complaints.Add(line);
        }
        if (_tail.Count == tailLines)
        {
            _tail.Dequeue();
        }
        _tail.Enqueue(line);
    }

    public string Summarize(string workingDirectory) => ToolStderr.Summarize(_complaints, [.. _tail], workingDirectory);
}
