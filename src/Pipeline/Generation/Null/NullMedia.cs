using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Media;
using VideoAkka.Pipeline.Media.Captions;
using VideoAkka.Pipeline.Media.Qc;
using VideoAkka.Pipeline.Media.Speech;

namespace VideoAkka.Pipeline.Generation.Null;

/// <summary>The null backend's tts, subtitle, stitch and qc work: placeholder files where the real ones would be, so
/// that every stage of the graph runs, reports and journals as usual without espeak-ng or ffmpeg.</summary>
public sealed class NullMedia : IVoiceovers, ICaptionFiles, IFinalRender, IQualityCheck
{
    /// <summary>What the narration's length is taken to be: a speaking pace of about 2.5 words a second.</summary>
    private const double WordsPerSecond = 2.5;

    public async Task<Voiceover> SpeakAsync(string script, VoiceChoice voice, JobFolder folder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var sentences = SentenceSplitter.Split(CaptionText.Speakable(script));
        var seconds = Math.Max(1, sentences.Sum(s => CaptionText.Words(s).Length) / WordsPerSecond);
        var path = await Placeholder.WriteAsync(folder.Voiceover, cancellationToken).ConfigureAwait(false);
        progress.Report(1);
        return new Voiceover(path, seconds, CueTiming.Proportional(sentences, seconds));
    }

    public Task<string> WriteAsync(IReadOnlyList<SubtitleCue> cues, CaptionOptions options, VideoFormat format, string? voice, JobFolder folder,
        CancellationToken cancellationToken) =>
        Placeholder.WriteAsync(folder.Captions, cancellationToken);

    public async Task<string> RenderAsync(RenderPlan plan, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var path = await Placeholder.WriteAsync(Path.Combine(plan.Folder, JobFolder.FinalVideoName), cancellationToken).ConfigureAwait(false);
        progress.Report(1);
        return path;
    }

    /// <summary>Nothing to measure in a placeholder: one skipped check says why, and the job completes.</summary>
    public Task<QcReport> CheckAsync(string folder, string videoFile, QcExpectations expected, CancellationToken cancellationToken) =>
        Task.FromResult(QcReport.Of([new QcCheck("video", QcCheck.Skip, Hard: false, Note: "null backend: no video is made")]));
}
