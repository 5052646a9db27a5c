using System.Collections.Immutable;
using System.Text.Json.Nodes;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Languages;

/// <summary>One language of the OCR specs: its espeak-ng voice, tesseract's data, a narration and a scene prompt.</summary>
public sealed record Language(string Code, string Voice, string Tesseract, string Script, string Prompt);

/// <summary>
/// One service (real Redis, the draft renderer, espeak-ng) running one job per language at once, so the six jobs
/// share the start-up and the stages. Frames are 540x960: large enough for tesseract to read captions.
/// </summary>
public sealed class LanguageJobs : IAsyncLifetime
{
    private const string Hocon = """
        videoakka.output.sizes { "9:16" = "540x960", "16:9" = "960x540", "1:1" = "540x540" }
        videoakka.output.fps = 15
        """;

    /// <summary>espeak-ng's Japanese voice reads kana only (a kanji is spelt out in English as "Chinese letter"),
    /// so the Japanese narration is written in kana.</summary>
    public static readonly ImmutableArray<Language> All =
    [
        new("zh", "cmn", "chi_sim", "灯塔守护者看着大海。暴风雨就要来了，他点亮了灯。", "海边的灯塔"),
        new("ja", "ja", "jpn", "とうだいもりは うみを みています。あらしが きます。", "うみの とうだい"),
        new("ar", "ar", "ara", "حارس المنارة ينظر إلى البحر. العاصفة قادمة من بعيد.", "منارة على البحر"),
        new("hi", "hi", "hin", "दीपघर का रक्षक समुद्र को देखता है। तूफान आ रहा है।", "समुद्र के किनारे दीपघर"),
        new("ru", "ru", "rus", "Смотритель маяка смотрит на море. Приближается сильная буря.", "Маяк на берегу моря"),
        new("en", "en", "eng", "The lighthouse keeper watches the sea. A storm is coming.", "A lighthouse by the sea"),
    ];

    public static TheoryData<string> Codes => [.. All.Select(l => l.Code)];

    private readonly Dictionary<string, string> _jobIds = [];

    public ServiceUnderTest Service { get; private set; } = null!;

    public static Language Get(string code) => All.Single(l => l.Code == code);

    public string RunId(string code) => $"ocr-{code}";

    public async Task InitializeAsync()
    {
        Service = await ServiceUnderTest.StartAsync(Hocon);
        foreach (var language in All)
        {
            var body = new JsonObject
            {
                ["script"] = language.Script,
                ["run_id"] = RunId(language.Code),
                ["prompts"] = new JsonArray(new JsonObject { ["image"] = language.Prompt, ["duration"] = 2 }),
                ["options"] = new JsonObject { ["voice"] = language.Voice },
            };
            _jobIds[language.Code] = await Service.SubmitAsync(body.ToJsonString());
        }
    }

    /// <summary>The job's folder once it has completed (the spec fails with the job's error otherwise).</summary>
    public async Task<string> CompletedFolderAsync(string code)
    {
        var status = await Service.WaitUntilFinishedAsync(_jobIds[code]);
        Assert.True(status.GetProperty("status").GetString() == "completed", $"the {code} job did not complete: {status}");
        return Service.Folder(RunId(code));
    }

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
