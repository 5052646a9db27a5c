using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoAkka.Pipeline.Generation.ComfyUi;
using VideoAkka.Tests.Support;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>
/// The pure parsing of ComfyUI's WS frames, history bodies and /prompt refusals, checked against what a real
/// ComfyUI 0.3.64 sent (shared/comfyui-transcripts). Hand-built JSON only where no recording has the shape.
/// </summary>
public sealed class ComfyUiProtocolSpecs
{
    private const string ImageOkPrompt = "58c86352-2ce4-41b5-820d-675652cc32a5";
    private const string AnimatedPrompt = "c7b985fa-d831-49b6-9d17-5dd150fd5784";
    private const string CachedPrompt = "8ba774de-c9f9-4107-8672-863f07e9b23b";
    private const string FailedPrompt = "ee4238ff-dca2-4d9f-bb6c-6c0318daa58d";
    private const string FailureMessage = "cannot identify image file '/opt/ComfyUI/input/videoakka-job1/not-an-image.png'\n";

    // ---- WS frames ----

    [Fact]
    public void Every_recorded_text_frame_parses_to_the_event_its_type_names()
    {
        var expected = new Dictionary<string, Type>
        {
            ["status"] = typeof(QueueStatus),
            ["execution_start"] = typeof(ExecutionStarted),
            ["execution_cached"] = typeof(ExecutionCached),
            ["executing"] = typeof(NodeExecuting),
            ["executed"] = typeof(NodeExecuted),
            ["execution_success"] = typeof(ExecutionSucceeded),
            ["execution_error"] = typeof(ExecutionFailed),
            ["execution_interrupted"] = typeof(ExecutionInterrupted),
            ["progress_state"] = typeof(OtherEvent),
            ["feature_flags"] = typeof(OtherEvent),
        };
        var names = Transcripts.Names().Where(name => name[0] is >= '0' and <= '9').ToList();
        var frames = names.SelectMany(name => Transcripts.Load(name).WsTextFrames()).ToList();

        Assert.Equal(14, names.Count);
        Assert.Equal(317, frames.Count);
        foreach (var frame in frames)
        {
            var type = JsonDocument.Parse(frame).RootElement.GetProperty("type").GetString()!;
            var parsed = ComfyUiEvents.Parse(frame);
            if (parsed is OtherEvent other)
            {
                Assert.Equal(type, other.Type);
                Assert.True(expected[type] == typeof(OtherEvent) || IsFilelessExecuted(frame), frame);
            }
            else
            {
                Assert.IsType(expected[type], parsed);
            }
        }
    }

    [Fact]
    public void The_normal_run_of_02_ends_with_executing_without_a_node_after_execution_success()
    {
        var events = Frames("02_image_ok").Where(e => e is not OtherEvent).ToList();

        Assert.Collection(
            events,
            e => Assert.Equal(new QueueStatus(0, "videoakka-recorder-0001"), e),
            e => Assert.Equal(new QueueStatus(1, null), e),
            e => Assert.Equal(new QueueStatus(1, null), e),
            e => Assert.Equal(new ExecutionStarted(ImageOkPrompt), e),
            e => Assert.Empty(Assert.IsType<ExecutionCached>(e).Nodes),
            e => Assert.Equal(new NodeExecuting(ImageOkPrompt, "1"), e),
            e => Assert.Equal(new NodeExecuting(ImageOkPrompt, "2"), e),
            e => Assert.Equal("2", Assert.IsType<NodeExecuted>(e).Node),
            e => Assert.Equal(new ExecutionSucceeded(ImageOkPrompt), e),
            e => Assert.Equal(new QueueStatus(0, null), e),
            e => Assert.Equal(new NodeExecuting(ImageOkPrompt, null), e));
    }

    [Fact]
    public void The_executed_frame_of_02_names_the_saved_png_as_an_image()
    {
        var executed = Assert.Single(Frames("02_image_ok").OfType<NodeExecuted>());

        Assert.Equal(ImageOkPrompt, executed.PromptId);
        var file = Assert.Single(executed.Files);
        Assert.Equal(new ComfyUiOutputFile("2", "images", "img_00001_.png", "videoakka", "output", false), file);
        Assert.Equal(".png", file.Extension);
        Assert.Equal(ComfyUiOutputKind.Image, file.Kind);
    }

    [Fact]
    public void The_cached_rerun_of_03_reports_its_cached_nodes_and_resends_the_old_file()
    {
        var events = Frames("03_image_resubmit_cached");

        Assert.All(events.OfType<ExecutionCached>(), cached => Assert.Equal<string>(["1", "2"], cached.Nodes));
        Assert.Equal(2, events.OfType<ExecutionCached>().Count());
        Assert.All(events.OfType<NodeExecuted>(), executed =>
            Assert.Equal(new ComfyUiOutputFile("2", "images", "img_00001_.png", "videoakka", "output", false), Assert.Single(executed.Files)));
        Assert.Equal(2, events.OfType<NodeExecuted>().Count());
    }

    [Fact]
    public void The_animated_outputs_of_05_are_video_files_under_images_in_executed_frames()
    {
        var files = Frames("05_animated").OfType<NodeExecuted>().SelectMany(e => e.Files).OrderBy(f => f.NodeId, StringComparer.Ordinal);

        Assert.Equal(AnimatedOutputs, files);
        Assert.All(files, file => Assert.Equal(ComfyUiOutputKind.Video, file.Kind));
    }

    [Fact]
    public void The_execution_error_of_07_names_the_node_its_type_and_the_exception()
    {
        var failed = Assert.Single(Frames("07_execution_error").OfType<ExecutionFailed>());

        Assert.Equal(new ExecutionFailed(FailedPrompt, "10", "LoadImage", "PIL.UnidentifiedImageError", FailureMessage), failed);
    }

    [Fact]
    public void An_execution_failure_is_described_in_one_line_without_the_traceback()
    {
        var failed = Assert.Single(Frames("07_execution_error").OfType<ExecutionFailed>());

        Assert.Equal(
            "node 10 (LoadImage) raised PIL.UnidentifiedImageError: cannot identify image file '/opt/ComfyUI/input/videoakka-job1/not-an-image.png'",
            failed.Describe());
    }

    [Fact]
    public void A_long_multi_line_exception_message_is_described_in_at_most_500_characters_on_one_line()
    {
        var failed = new ExecutionFailed("p", "3", "KSampler", "RuntimeError", "first line\n" + new string('x', 2000) + "\n  last");

        var description = failed.Describe();

        Assert.True(description.Length <= 500, $"{description.Length} characters");
        Assert.StartsWith("node 3 (KSampler) raised RuntimeError: first line xxx", description);
        Assert.DoesNotContain('\n', description);
    }

    [Fact]
    public void The_interrupts_of_08_name_the_prompt_and_the_node_that_was_about_to_run()
    {
        var interrupts = Frames("08_interrupt_and_queue_delete").OfType<ExecutionInterrupted>();

        Assert.Equal(
            [
                new ExecutionInterrupted("eb97556c-ff89-45c7-b1f3-a991020ddc0a", "4", "ImageBlur"),
                new ExecutionInterrupted("25ab6b12-d38c-43f3-8e2f-88210d1bf6aa", "3", "ImageBlur"),
                new ExecutionInterrupted("0d51d88b-e476-415d-ac33-3370b4373c12", "3", "ImageBlur"),
            ],
            interrupts);
    }

    [Fact]
    public void Progress_state_frames_parse_whether_their_values_are_floats_as_in_09_or_integers_as_in_03()
    {
        var floats = Transcripts.Load("09_progress").WsTextFrames().Where(f => f.Contains("\"progress_state\"", StringComparison.Ordinal)).ToList();
        var integers = Transcripts.Load("03_image_resubmit_cached").WsTextFrames().Where(f => f.Contains("\"progress_state\"", StringComparison.Ordinal)).ToList();

        Assert.Contains(floats, f => f.Contains("\"value\": 1.0", StringComparison.Ordinal));
        Assert.Contains(integers, f => f.Contains("\"value\": 1,", StringComparison.Ordinal));
        Assert.All(floats.Concat(integers), frame => Assert.Equal(new OtherEvent("progress_state"), ComfyUiEvents.Parse(frame)));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1.0")]
    [InlineData("3", "20.0")]
    public void A_progress_frame_reads_integer_and_float_values_alike(string value, string max)
    {
        var frame = $$$"""{"type":"progress","data":{"value":{{{value}}},"max":{{{max}}},"prompt_id":"p","node":"3"}}""";

        Assert.Equal(
            new NodeProgress("p", "3", double.Parse(value, CultureInfo.InvariantCulture), double.Parse(max, CultureInfo.InvariantCulture)),
            ComfyUiEvents.Parse(frame));
    }

    [Fact]
    public void The_executed_text_of_preview_any_in_09_names_no_file_and_is_another_event()
    {
        var frame = Assert.Single(
            Transcripts.Load("09_progress").WsTextFrames(),
            f => JsonDocument.Parse(f).RootElement.GetProperty("data").TryGetProperty("output", out var output) && output.TryGetProperty("text", out _));

        Assert.Equal(new OtherEvent("executed"), ComfyUiEvents.Parse(frame));
    }

    [Fact]
    public void The_feature_flags_answer_of_11_is_another_event()
    {
        var frame = Assert.Single(Transcripts.Load("11_ws_feature_flags_and_no_client_id").WsTextFrames(), f => f.Contains("feature_flags", StringComparison.Ordinal));

        Assert.Equal(new OtherEvent("feature_flags"), ComfyUiEvents.Parse(frame));
    }

    [Fact]
    public void The_executing_frame_resent_on_reconnect_in_13_has_no_prompt_id()
    {
        var frame = Assert.Single(Transcripts.Load("13_ws_reconnect_front_origin").WsTextFrames(), f => !f.Contains("prompt_id", StringComparison.Ordinal) && f.Contains("executing", StringComparison.Ordinal));

        Assert.Equal(new NodeExecuting(null, "2"), ComfyUiEvents.Parse(frame));
    }

    [Fact]
    public void A_socket_opened_without_client_id_in_13_learns_the_sid_the_server_made_up()
    {
        Assert.Equal(new QueueStatus(0, "4cefc837f0944a209301774f2ec404e4"), Frames("13_ws_reconnect_front_origin")[0]);
    }

    [Theory]
    [InlineData("not json", "?")]
    [InlineData("", "?")]
    [InlineData("[]", "?")]
    [InlineData("{}", "?")]
    [InlineData("""{"type":5,"data":{}}""", "?")]
    [InlineData("""{"type":"crystools.monitor","data":{"cpu_utilization":3}}""", "crystools.monitor")]
    [InlineData("""{"type":"execution_start"}""", "execution_start")]
    [InlineData("""{"type":"execution_start","data":{}}""", "execution_start")]
    [InlineData("""{"type":"execution_success","data":{"prompt_id":7}}""", "execution_success")]
    [InlineData("""{"type":"status","data":{"status":"busy"}}""", "status")]
    [InlineData("""{"type":"status","data":{"status":{"exec_info":{"queue_remaining":1.5}}}}""", "status")]
    [InlineData("""{"type":"executed","data":{"node":"2","prompt_id":"p","output":{"images":"x.png"}}}""", "executed")]
    [InlineData("""{"type":"executed","data":{"node":"2","prompt_id":"p","output":{"images":[{"filename":"x.png"}]}}}""", "executed")]
    [InlineData("""{"type":"progress","data":{"value":"1","max":2,"prompt_id":"p"}}""", "progress")]
    [InlineData("""{"type":"execution_error","data":{"node_id":"3"}}""", "execution_error")]
    public void A_frame_of_an_unexpected_shape_is_another_event_rather_than_an_exception(string frame, string type)
    {
        Assert.Equal(new OtherEvent(type), ComfyUiEvents.Parse(frame));
    }

    // ---- output files ----

    [Fact]
    public void A_video_helper_suite_gifs_output_is_found_as_an_animated_video()
    {
        // Shape from the doc's §2a (VHS_VideoCombine): no recording has VideoHelperSuite.
        const string frame = """
            {"type":"executed","data":{"node":"12","display_node":"12","prompt_id":"p","output":{"gifs":[
              {"filename":"AnimateDiff_00001.mp4","subfolder":"clips","type":"output","format":"video/h264-mp4",
               "frame_rate":8.0,"workflow":"AnimateDiff_00001.png","fullpath":"/opt/ComfyUI/output/clips/AnimateDiff_00001.mp4"}]}}}
            """;

        var file = Assert.Single(Assert.IsType<NodeExecuted>(ComfyUiEvents.Parse(frame)).Files);

        Assert.Equal(new ComfyUiOutputFile("12", "gifs", "AnimateDiff_00001.mp4", "clips", "output", true), file);
        Assert.Equal(ComfyUiOutputKind.Video, file.Kind);
    }

    [Fact]
    public void A_video_helper_suite_webp_under_gifs_is_a_video_although_no_animated_key_says_so()
    {
        const string output = """{"gifs":[{"filename":"AnimateDiff_00002.webp","subfolder":"","type":"temp","format":"image/webp","frame_rate":8}]}""";

        var entry = ComfyUiHistory.Parse(HistoryBody("p", output), "p")!;

        Assert.Equal(ComfyUiOutputKind.Video, Assert.Single(entry.Files).Kind);
    }

    [Fact]
    public void Every_key_of_a_node_output_is_searched_for_files_and_audio_is_audio_whatever_its_key_while_latents_are_other()
    {
        const string output = """
            {"audio":[{"filename":"voice_00001_.flac","subfolder":"a","type":"output"}],
             "latents":[{"filename":"l_00001_.latent","subfolder":"","type":"output"}],
             "text":["64"], "result":[[1,2]], "unfinished_batch":[true],
             "images":[{"filename":"still_00001_.JPG","subfolder":"","type":"output"}]}
            """;

        var entry = ComfyUiHistory.Parse(HistoryBody("p", output), "p")!;

        Assert.Equal<ComfyUiOutputFile>(
            [
                new ComfyUiOutputFile("1", "audio", "voice_00001_.flac", "a", "output", false),
                new ComfyUiOutputFile("1", "latents", "l_00001_.latent", "", "output", false),
                new ComfyUiOutputFile("1", "images", "still_00001_.JPG", "", "output", false),
            ],
            entry.Files);
        Assert.Equal([ComfyUiOutputKind.Audio, ComfyUiOutputKind.Other, ComfyUiOutputKind.Image], entry.Files.Select(f => f.Kind));
        Assert.Equal(".jpg", entry.Files[2].Extension);
    }

    [Fact]
    public void A_single_frame_webp_marked_not_animated_is_an_image()
    {
        const string output = """{"images":[{"filename":"anim_00003_.webp","subfolder":"","type":"output"}],"animated":[false]}""";

        var file = Assert.Single(ComfyUiHistory.Parse(HistoryBody("p", output), "p")!.Files);

        Assert.False(file.Animated);
        Assert.Equal(ComfyUiOutputKind.Image, file.Kind);
    }

    // ---- history ----

    [Fact]
    public void The_history_of_02_is_a_success_naming_the_saved_png()
    {
        var entry = History("02_image_ok", ImageOkPrompt);

        Assert.Equal(ComfyUiOutcome.Success, entry.Outcome);
        Assert.Equal(ImageOkPrompt, entry.PromptId);
        Assert.Equal<ComfyUiOutputFile>([new ComfyUiOutputFile("2", "images", "img_00001_.png", "videoakka", "output", false)], entry.Files);
        Assert.Null(entry.Error);
        Assert.Null(entry.Interruption);
    }

    [Fact]
    public void The_history_of_the_cached_reruns_in_03_still_names_the_file_of_the_first_run()
    {
        var bodies = Transcripts.Load("03_image_resubmit_cached").Http("GET", $"/history/{CachedPrompt}");

        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, body =>
        {
            var entry = ComfyUiHistory.Parse(body.Json, CachedPrompt)!;
            Assert.Equal(ComfyUiOutcome.Success, entry.Outcome);
            Assert.Equal<ComfyUiOutputFile>([new ComfyUiOutputFile("2", "images", "img_00001_.png", "videoakka", "output", false)], entry.Files);
        });
    }

    [Fact]
    public void The_history_of_05_lists_the_animated_outputs_in_node_order_as_videos_under_images()
    {
        var entry = History("05_animated", AnimatedPrompt);

        Assert.Equal(ComfyUiOutcome.Success, entry.Outcome);
        Assert.Equal(AnimatedOutputs, entry.Files);
        Assert.Equal([".webp", ".png", ".mp4", ".webm"], entry.Files.Select(f => f.Extension));
        Assert.All(entry.Files, file => Assert.Equal(ComfyUiOutputKind.Video, file.Kind));
    }

    [Fact]
    public void The_history_of_09_keeps_the_temp_previews_and_skips_the_text_output()
    {
        var entry = History("09_progress", "b3dace05-922b-486b-a6f1-f4bd34c22e57");

        Assert.Equal<ComfyUiOutputFile>(
            [
                new ComfyUiOutputFile("4", "images", "ComfyUI_temp_pxfht_00001_.png", "", "temp", false),
                new ComfyUiOutputFile("4", "images", "ComfyUI_temp_pxfht_00002_.png", "", "temp", false),
            ],
            entry.Files);
    }

    [Fact]
    public void The_history_of_07_is_an_error_with_the_failure_and_the_good_branch_file()
    {
        var entry = History("07_execution_error", FailedPrompt);

        Assert.Equal(ComfyUiOutcome.Error, entry.Outcome);
        Assert.Equal(new ExecutionFailed(FailedPrompt, "10", "LoadImage", "PIL.UnidentifiedImageError", FailureMessage), entry.Error);
        Assert.Equal<ComfyUiOutputFile>([new ComfyUiOutputFile("21", "images", "err_ok_branch_00001_.png", "videoakka", "output", false)], entry.Files);
        Assert.Null(entry.Interruption);
    }

    [Theory]
    [InlineData("eb97556c-ff89-45c7-b1f3-a991020ddc0a", "4")]
    [InlineData("25ab6b12-d38c-43f3-8e2f-88210d1bf6aa", "3")]
    public void The_history_of_an_interrupted_prompt_of_08_is_interrupted_not_error(string promptId, string node)
    {
        var entry = History("08_interrupt_and_queue_delete", promptId);

        Assert.Equal(ComfyUiOutcome.Interrupted, entry.Outcome);
        Assert.Equal(new ExecutionInterrupted(promptId, node, "ImageBlur"), entry.Interruption);
        Assert.Null(entry.Error);
        Assert.Empty(entry.Files);
    }

    [Theory]
    [InlineData("01_discovery", "00000000-0000-0000-0000-000000000000")] // unknown
    [InlineData("02_image_ok", ImageOkPrompt)] // still running
    [InlineData("08_interrupt_and_queue_delete", "f3f433d8-db41-43de-8a27-fa74177ccdca")] // deleted while pending
    [InlineData("08_interrupt_and_queue_delete", "5287ff2d-c1c0-4f20-8f9c-ad9fd63d4dd3")] // cleared while pending
    public void The_empty_history_of_an_unfinished_or_unknown_prompt_is_null(string transcript, string promptId)
    {
        var empty = Transcripts.Load(transcript).Http("GET", $"/history/{promptId}")[0];

        Assert.Equal("{}", empty.BodyText);
        Assert.Null(ComfyUiHistory.Parse(empty.Json, promptId));
    }

    [Fact]
    public void A_history_body_without_the_prompt_id_is_null_even_when_it_holds_other_prompts()
    {
        var others = Assert.Single(Transcripts.Load("03_image_resubmit_cached").Http("GET", "/history?max_items=3"));

        Assert.Null(ComfyUiHistory.Parse(others.Json, "11111111-1111-1111-1111-111111111111"));
    }

    // ---- /prompt refusals ----

    [Fact]
    public void An_unknown_class_type_is_refused_naming_the_class_and_the_node()
    {
        Assert.Equal(
            "ComfyUI refused the workflow (invalid_prompt): Cannot execute because node NoSuchNodeType does not exist. Node ID '#1'",
            Refusal("31b5e218-bf56-4dc7-a423-4141a6dd70af"));
    }

    [Fact]
    public void A_node_without_class_type_is_refused_naming_the_node()
    {
        Assert.Equal(
            "ComfyUI refused the workflow (invalid_prompt): Cannot execute because a node is missing the class_type property. Node ID '#1'",
            Refusal("aa3deef8-2478-46af-b798-d252d4d025df"));
    }

    [Theory]
    [InlineData("25f574c5-be9f-470e-89da-ad3d6fdc85eb")] // no output node
    [InlineData("a4ae2f10-c75d-48ae-b51a-ee92c0f2b246")] // empty prompt
    public void A_workflow_without_outputs_is_refused_as_having_no_outputs(string promptId)
    {
        Assert.Equal("ComfyUI refused the workflow (prompt_no_outputs): Prompt has no outputs", Refusal(promptId));
    }

    [Fact]
    public void A_body_without_prompt_is_refused_as_no_prompt()
    {
        var post = Transcripts.Load("06_validation_errors").Http("POST", "/prompt")
            .Single(p => p.RequestJson is { } json && !json.TryGetProperty("prompt", out _));

        Assert.Equal("ComfyUI refused the workflow (no_prompt): No prompt provided", ComfyUiRefusal.Describe(post.Status, post.BodyText));
    }

    [Theory]
    [InlineData("e5d8d626-f900-434d-8b16-d62d340c509c", "node 1 (EmptyImage): Required input is missing: width")]
    [InlineData("2ecfcb76-3f1a-49c8-b6e0-6c56c0164715", "node 1 (EmptyImage): Failed to convert an input value to a INT value: width, wide, invalid literal for int() with base 10: 'wide'")]
    [InlineData("5a2b0c5c-070c-44ae-aa09-0fd0c30b9957", "node 1 (EmptyImage): Value 999999 bigger than max of 16384: width")]
    [InlineData("f656a5b4-8be4-45c6-a326-f7bfc43ca4a7", "node 1 (EmptyImage): Value 0 smaller than min of 1: width")]
    [InlineData("14c40e0c-45b4-41a9-99d2-363d2bdb0f34", "node 3 (ImageScale): Value not in list: upscale_method: 'bogus-method' not in ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']")]
    [InlineData("977d5a4b-d4be-49de-89e3-6ca81d1447d5", "node 2 (SaveImage): Exception when validating node: KeyError: '99'")]
    [InlineData("172847f9-e569-4852-a52e-125930328975", "node 2 (SaveImage): Exception when validating node: IndexError: tuple index out of range")]
    [InlineData("2b242dc5-0676-4f3c-86bc-12e8eb79f1de", "node 3 (SaveImage): Return type mismatch between linked nodes: images, received_type(LATENT) mismatch input_type(IMAGE)")]
    public void A_failed_validation_is_described_by_node_id_class_type_and_reason(string promptId, string reason)
    {
        Assert.Equal($"ComfyUI refused the workflow: Prompt outputs failed validation: {reason}", Refusal(promptId));
    }

    [Fact]
    public void A_missing_input_file_in_07_is_described_by_the_custom_validation_reason()
    {
        var post = Transcripts.Load("07_execution_error").Http("POST", "/prompt").Single(p => p.Status == 400);

        Assert.Equal(
            "ComfyUI refused the workflow: Prompt outputs failed validation: node 10 (LoadImage): Custom validation failed for node: image - Invalid image file: videoakka-job1/missing.png",
            ComfyUiRefusal.Describe(post.Status, post.BodyText));
    }

    [Fact]
    public void A_failed_validation_of_several_nodes_names_each_in_order()
    {
        // No recording fails on two nodes at once: merge two recorded node_errors into one 400 body.
        var body = JsonNode.Parse(RefusalBody("f656a5b4-8be4-45c6-a326-f7bfc43ca4a7"))!.AsObject();
        var other = JsonNode.Parse(RefusalBody("14c40e0c-45b4-41a9-99d2-363d2bdb0f34"))!["node_errors"]!["3"]!.DeepClone();
        body["node_errors"]!.AsObject().Add("3", other);

        Assert.Equal(
            "ComfyUI refused the workflow: Prompt outputs failed validation: node 1 (EmptyImage): Value 0 smaller than min of 1: width; "
            + "node 3 (ImageScale): Value not in list: upscale_method: 'bogus-method' not in ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']",
            ComfyUiRefusal.Describe(400, body.ToJsonString()));
    }

    [Fact]
    public void An_accepted_prompt_whose_node_errors_drop_an_output_is_described_as_partly_refused()
    {
        var post = Post("b9d74689-d6ab-4775-8ac6-d346a85a5039");

        Assert.Equal(200, post.Status);
        Assert.Equal("ComfyUI refused part of the workflow: node 4 (SaveImage): Required input is missing: images", ComfyUiRefusal.Describe(post.Status, post.BodyText));
    }

    [Fact]
    public void An_accepted_prompt_with_empty_node_errors_is_not_a_refusal()
    {
        var post = Assert.Single(Transcripts.Load("02_image_ok").Http("POST", "/prompt"));

        Assert.Null(ComfyUiRefusal.Describe(post.Status, post.BodyText));
    }

    [Theory]
    [InlineData("{\"prompt\": {\"1\": ")]
    [InlineData("")]
    public void Malformed_json_is_answered_with_a_plain_text_500_described_by_its_first_line(string sent)
    {
        var post = Transcripts.Load("06_validation_errors").Http("POST", "/prompt").Single(p => p.RequestRawText == sent);

        Assert.Equal(500, post.Status);
        Assert.Equal("ComfyUI answered 500: 500 Internal Server Error", ComfyUiRefusal.Describe(post.Status, post.BodyText));
    }

    [Fact]
    public void A_refusal_naming_many_nodes_stays_one_line_of_at_most_800_characters()
    {
        var nodes = string.Join(",", Enumerable.Range(1, 60).Select(i =>
            $"\"{i}\":" + $$$"""{"errors":[{"type":"required_input_missing","message":"Required input is missing","details":"images\nand more","extra_info":{}}],"dependent_outputs":["{{{i}}}"],"class_type":"SaveImage"}"""));
        var body = """{"error":{"type":"prompt_outputs_failed_validation","message":"Prompt outputs failed validation","details":"","extra_info":{}},"node_errors":{"""
            + nodes + "}}";

        var description = ComfyUiRefusal.Describe(400, body)!;

        Assert.True(description.Length <= 800, $"{description.Length} characters");
        Assert.StartsWith("ComfyUI refused the workflow: Prompt outputs failed validation: node 1 (SaveImage): Required input is missing: images and more; node 2", description);
        Assert.DoesNotContain('\n', description);
    }

    // ---- helpers ----

    private static readonly ComfyUiOutputFile[] AnimatedOutputs =
    [
        new("5", "images", "anim_00002_.webp", "videoakka", "output", true), // SaveAnimatedWEBP
        new("6", "images", "anim_00001_.png", "videoakka", "output", true), // SaveAnimatedPNG
        new("8", "images", "vid_00001_.mp4", "videoakka", "output", true), // SaveVideo (mp4, h264)
        new("9", "images", "webm_00001_.webm", "videoakka", "output", true), // SaveWEBM (vp9)
    ];

    private static List<ComfyUiEvent> Frames(string transcript) =>
        [.. Transcripts.Load(transcript).WsTextFrames().Select(ComfyUiEvents.Parse)];

    private static bool IsFilelessExecuted(string frame) =>
        JsonDocument.Parse(frame).RootElement.GetProperty("type").GetString() == "executed"
        && !frame.Contains("\"filename\"", StringComparison.Ordinal);

    /// <summary>The last recorded history of the prompt, which must hold its entry.</summary>
    private static ComfyUiHistoryEntry History(string transcript, string promptId)
    {
        var body = Transcripts.Load(transcript).Http("GET", $"/history/{promptId}")[^1];
        return ComfyUiHistory.Parse(body.Json, promptId) ?? throw new InvalidOperationException($"{transcript}: no history of {promptId}");
    }

    private static JsonElement HistoryBody(string promptId, string output) =>
        JsonDocument.Parse("""
            {"PROMPT":{"prompt":[0,"PROMPT",{},{},["1"]],"outputs":{"1":OUTPUT},
             "status":{"status_str":"success","completed":true,"messages":[["execution_success",{"prompt_id":"PROMPT","timestamp":1}]]},
             "meta":{}}}
            """.Replace("PROMPT", promptId, StringComparison.Ordinal).Replace("OUTPUT", output, StringComparison.Ordinal)).RootElement;

    private static RecordedHttp Post(string promptId) =>
        Transcripts.Load("06_validation_errors").Http("POST", "/prompt")
            .Single(p => p.RequestJson is { } json && json.TryGetProperty("prompt_id", out var id) && id.GetString() == promptId);

    private static string RefusalBody(string promptId) => Post(promptId).BodyText;

    private static string? Refusal(string promptId)
    {
        var post = Post(promptId);
        Assert.Equal(400, post.Status);
        return ComfyUiRefusal.Describe(post.Status, post.BodyText);
    }
}
