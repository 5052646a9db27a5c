using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Fakes;
using VideoAkka.Tests.Support;
using static VideoAkka.Tests.ComfyUi.ComfyUiJobs;

namespace VideoAkka.Tests.Voices;

/// <summary>
/// Issue 13, Voices: options.voice {"engine": "comfyui", "name": WORKFLOW} speaks the narration with a ComfyUI speech
/// workflow (the shipped config/workflows/tts-kokoro.json), one prompt per sentence, on the fake ComfyUI that answers
/// with real audio under "audio" as SaveAudio does. What it answers is checked like any engine's speech.
/// </summary>
public sealed class ComfyUiVoiceSpecs
{
    /// <summary>Two sentences of a few words: each one prompt, each answered with the fake's tone.</summary>
    private const string Script = "The tide comes in. The gulls come back.";

    private static string SpokenBody(string runId, string workflow = "kokoro", double? rate = null)
    {
        var voice = new JsonObject { ["engine"] = "comfyui", ["name"] = workflow };
        if (rate is { } r)
        {
            voice["rate"] = r;
        }
        return new JsonObject
        {
            ["script"] = Script,
            ["run_id"] = runId,
            ["prompts"] = new JsonArray(Scene("a quiet harbour")),
            ["options"] = new JsonObject { ["voice"] = voice },
        }.ToJsonString();
    }

    private static bool IsSpeech(FakeSubmission s) => s.ClassTypes.Contains("KokoroGenerator");

    /// <summary>The speech prompts fail (or misbehave) as told; the scene prompts succeed.</summary>
    private static FakeComfyUiOptions SpeechBehaves(FakeBehaviour behaviour) => new()
    {
        Behaviour = s => IsSpeech(s) ? behaviour : new FakeBehaviour.Succeed(),
    };

    private static JsonElement SpeechInputs(FakeSubmission s) =>
        s.Graph.EnumerateObject().Single(n => n.Value.GetProperty("class_type").GetString() == "KokoroGenerator").Value.GetProperty("inputs");

    [Fact]
    public async Task A_job_with_the_comfyui_engine_completes_and_its_voiceover_is_the_workflows_audio()
    {
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var job = await service.SubmitAsync(SpokenBody("comfy-voice-run", rate: 1.25));
        var record = await service.WaitUntilFinishedAsync(job);

        Assert.True(Status(record) == "completed", Error(record));
        // One prompt per sentence, the sentence in the Speech node's text and the rate in its speed.
        var speech = comfy.Submissions.Where(IsSpeech).Select(SpeechInputs).ToList();
        Assert.Equal(["The gulls come back.", "The tide comes in."], speech.Select(i => i.GetProperty("text").GetString()).Order(StringComparer.Ordinal));
        Assert.All(speech, i => Assert.Equal(1.25, i.GetProperty("speed").GetDouble()));
        // The fake answers every sentence with its own 2.5 s tone: espeak-ng would take about a second for each.
        var voiceover = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("comfy-voice-run"), "voiceover.mp3"));
        Assert.InRange(voiceover.Duration, 2 * FakeComfyUi.SpeechSeconds - 0.1, 2 * FakeComfyUi.SpeechSeconds + 0.1);
        var video = await MediaInfo.ProbeAsync(Path.Combine(service.Folder("comfy-voice-run"), "stitched_subtitled.mp4"));
        Assert.InRange(video.Duration, 2 * FakeComfyUi.SpeechSeconds - 0.15, 2 * FakeComfyUi.SpeechSeconds + 0.15);
        // ComfyUI's flac answers were converted and removed: only our own names stay in the job's speech folder.
        Assert.Empty(Directory.EnumerateFiles(service.Folder("comfy-voice-run"), "*.flac", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Waiting_for_the_GPU_behind_another_jobs_prompt_does_not_use_up_the_tts_stages_timeout()
    {
        // One GPU slot, held by another job's prompt for the 6 s prompt timeout; the tts stage may run 3 s.
        await using var comfy = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            Behaviour = s => s.Text.Contains("HOLD", StringComparison.Ordinal) ? new FakeBehaviour.Hang() : new FakeBehaviour.Succeed(),
        });
        await using var service = await ServiceUnderTest.StartAsync(
            Hocon + "\nvideoakka.comfyui.prompt-timeout = 6s\nvideoakka.stages.tts.timeout = 3s", comfyUiUrl: comfy.Url);
        var holder = await service.SubmitAsync(Body("gpu-holder-run", Scene("HOLD the only GPU")));
        await Eventually.WaitUntilAsync(() => Task.FromResult(comfy.Running == 1), "the holder's prompt runs");

        var spoken = await service.SubmitAsync(SpokenBody("gpu-waiter-run"));
        var record = await service.WaitUntilFinishedAsync(spoken);

        Assert.True(Status(record) == "completed", Error(record));
        Assert.Equal("failed", Status(await service.WaitUntilFinishedAsync(holder)));
        // The speech waited for the slot the whole time: no prompt but the holder's was posted before it was
        // interrupted (6 s after it started, twice the tts stage's limit).
        var requests = comfy.Requests.ToList();
        var interrupted = requests.FindIndex(r => r.StartsWith("POST /interrupt", StringComparison.Ordinal));
        Assert.True(interrupted >= 0, "the holder's prompt was never interrupted");
        Assert.Single(requests.Take(interrupted), r => r.StartsWith("POST /prompt", StringComparison.Ordinal));
        Assert.Equal(2, comfy.Submissions.Count(IsSpeech));
    }

    [Fact]
    public async Task A_silent_answer_from_the_workflow_fails_the_job_saying_the_speech_is_silence()
    {
        await using var comfy = await FakeComfyUi.StartAsync(SpeechBehaves(new FakeBehaviour.SilentAudio()));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(SpokenBody("comfy-silent-run")));

        Assert.Equal("failed", Status(record));
        Assert.Contains("tts", Error(record));
        Assert.Contains("is silence", Error(record));
        Assert.False(File.Exists(Path.Combine(service.Folder("comfy-silent-run"), "stitched_subtitled.mp4")));
    }

    [Fact]
    public async Task An_execution_error_in_the_workflow_fails_the_job_with_the_nodes_message()
    {
        await using var comfy = await FakeComfyUi.StartAsync(SpeechBehaves(
            new FakeBehaviour.ExecutionError("2", "RuntimeError", "espeak phonemizer: language 'xx' is not supported")));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(SpokenBody("comfy-error-run")));

        Assert.Equal("failed", Status(record));
        Assert.Contains("failed the speech prompt", Error(record));
        Assert.Contains("node 2 (KokoroGenerator)", Error(record));
        Assert.Contains("RuntimeError: espeak phonemizer: language 'xx' is not supported", Error(record));
    }

    [Theory]
    [InlineData("../../../../comfy-escape.flac", "")]
    [InlineData("comfy-escape.flac", "../../../..")]
    [InlineData("/tmp/comfy-escape.flac", "")]
    public async Task An_output_named_with_a_path_is_refused_and_never_fetched(string filename, string subfolder)
    {
        await using var comfy = await FakeComfyUi.StartAsync(SpeechBehaves(new FakeBehaviour.HostileName(filename, subfolder)));
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        var record = await service.WaitUntilFinishedAsync(await service.SubmitAsync(SpokenBody("comfy-hostile-run")));

        Assert.Equal("failed", Status(record));
        Assert.Contains("refused", Error(record));
        Assert.Contains("comfy-escape.flac", Error(record));
        Assert.DoesNotContain(comfy.Requests, r => r.StartsWith("GET /view", StringComparison.Ordinal) && r.Contains("comfy-escape", StringComparison.Ordinal));
        // Nothing was written under the name: not in the test's folder (the data folder's parent), nor where the name
        // points from the job's tts folder (four levels up: the temp folder), nor at its absolute path.
        var testFolder = Path.GetDirectoryName(service.DataRoot)!;
        Assert.Empty(Directory.EnumerateFiles(testFolder, "comfy-escape*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(testFolder)!, "comfy-escape*"));
    }

    [Fact]
    public async Task A_workflow_name_the_service_does_not_have_is_refused_at_submit_naming_the_ones_it_has()
    {
        await using var comfy = await FakeComfyUi.StartAsync();
        await using var service = await ServiceUnderTest.StartAsync(Hocon, comfyUiUrl: comfy.Url);

        using var response = await service.PostJsonAsync(SpokenBody("comfy-unknown-run", workflow: "bark"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal("options.voice.name", error.Name);
        Assert.Contains("ComfyUI speech workflows: kokoro", Assert.Single(error.Value.EnumerateArray()).GetString());
        Assert.Empty(comfy.Submissions);
    }

    [Fact]
    public async Task The_comfyui_engine_is_refused_at_submit_when_the_service_has_no_ComfyUI()
    {
        await using var service = await ServiceUnderTest.StartAsync(Hocon);

        using var response = await service.PostJsonAsync(SpokenBody("comfy-none-run"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal("options.voice.engine", error.Name);
        Assert.Contains("COMFYUI_URL", Assert.Single(error.Value.EnumerateArray()).GetString());
    }
}
