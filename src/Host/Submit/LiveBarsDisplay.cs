using Spectre.Console;

namespace VideoAkka.Host.Submit;

/// <summary>
/// On a terminal: one Spectre.Console progress bar per job (run id, status, stage, percent), redrawn in place; the
/// outcome lines are written above the bars as each job ends, and stay when the bars go.
/// </summary>
public sealed class LiveBarsDisplay(IAnsiConsole console) : IJobDisplay
{
    public Task<T> ShowAsync<T>(IReadOnlyList<TrackedJob> jobs, Func<IJobView, Task<T>> follow) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = jobs.ToDictionary(j => j.JobId, j => context.AddTask(Describe(j, "queued", ""), autoStart: true, maxValue: 100));
                return await follow(new Bars(console, bars));
            });

    private static string Describe(TrackedJob job, string status, string stage) =>
        $"{Markup.Escape(Printable.Of(job.RunId, 40))} [grey]{Markup.Escape(Printable.Of(status, 12))} {Markup.Escape(Printable.Of(stage, 12))}[/]";

    private sealed class Bars(IAnsiConsole console, Dictionary<string, ProgressTask> bars) : IJobView
    {
        public void Changed(TrackedJob job, JobSnapshot now)
        {
            var bar = bars[job.JobId];
            bar.Description = Describe(job, now.Status, now.Stage);
            bar.Value = now.Progress * 100;
        }

        public void Ended(TrackedJob job, JobSnapshot end, string videoUrl)
        {
            var bar = bars[job.JobId];
            var completed = end.Status == "completed";
            bar.Description = Describe(job, end.Status, completed ? "done" : end.Stage);
            if (completed)
            {
                bar.Value = bar.MaxValue;
            }
            bar.StopTask();
            var colour = completed ? "green" : "red";
            foreach (var line in Outcome.Lines(job, end, videoUrl))
            {
                console.MarkupLine($"[{colour}]{Markup.Escape(line)}[/]");
            }
        }

        public void Notice(string message) => console.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
    }
}
