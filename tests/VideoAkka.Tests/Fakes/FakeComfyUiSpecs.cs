using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using VideoAkka.Tests.Support;
using VideoAkka.Fakes;

namespace VideoAkka.Tests.Fakes;

/// <summary>The fake ComfyUI speaks the protocol as recorded from a real 0.3.64 (see
/// /work/shared/comfyui-transcripts), over real HTTP and WebSocket.</summary>
public sealed class FakeComfyUiSpecs
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_prompt_sends_the_recorded_event_order_and_its_png_is_served()
    {
        await using var fake = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(60), ProgressSteps = 2 });
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };
        await using var socket = await ComfySocket.ConnectAsync(fake, "client-1");
        var promptId = Guid.NewGuid().ToString("D");

        var answer = await PostPromptAsync(http, ImageGraph("t/red"), "client-1", promptId);
        var frames = await socket.UntilDoneAsync(promptId);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(promptId, (string?)answer.Body["prompt_id"]);
        Assert.Equal(
            [
                "status 0 sid=client-1", "status 1", "status 1", "execution_start", "execution_cached []",
                "executing 1", "progress 1/2 @1", "progress 2/2 @1", "executing 2", "executed 2", "execution_success",
                "status 0", "executing null",
            ],
            frames.Where(f => f.Type != "progress_state").Select(f => f.Describe()));
        var history = await GetJsonAsync(http, $"/history/{promptId}");
        var image = history[promptId]!["outputs"]!["2"]!["images"]![0]!;
        Assert.Equal("""{"filename":"red_00001_.png","subfolder":"t","type":"output"}""", image.ToJsonString());
        Assert.Equal("success", (string?)history[promptId]!["status"]!["status_str"]);
        using var view = await http.GetAsync("/view?filename=red_00001_.png&subfolder=t&type=output");
        Assert.Equal("image/png", view.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await view.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task An_unknown_class_type_is_refused_as_invalid_prompt()
    {
        await using var fake = await FakeComfyUi.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };
        var graph = ImageGraph("x");
        graph["1"]!["class_type"] = "NoSuchNodeType";

        var answer = await PostPromptAsync(http, graph, "client-1", Guid.NewGuid().ToString("D"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(
            """{"error":{"type":"invalid_prompt","message":"Cannot execute because node NoSuchNodeType does not exist.","details":"Node ID \u0027#1\u0027","extra_info":{}},"node_errors":{}}""",
            answer.Body.ToJsonString());
        Assert.Empty(fake.Submissions);
    }

    [Fact]
    public async Task A_hanging_prompt_is_interrupted_by_its_prompt_id()
    {
        await using var fake = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            Latency = TimeSpan.FromMilliseconds(40),
            Behaviour = s => s.Text.Contains("HANG", StringComparison.Ordinal) ? new FakeBehaviour.Hang() : new FakeBehaviour.Succeed(),
        });
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };
        await using var socket = await ComfySocket.ConnectAsync(fake, "client-1");
        var promptId = Guid.NewGuid().ToString("D");
        await PostPromptAsync(http, TextToImageGraph("a cat, HANG"), "client-1", promptId);
        await socket.UntilAsync(f => f.Type == "progress");

        await PostAsync(http, "/interrupt", new JsonObject { ["prompt_id"] = promptId });
        var frames = await socket.UntilDoneAsync(promptId);

        Assert.Equal(["execution_interrupted at 3 (KSampler)", "status 0", "executing null"], frames.TakeLast(3).Select(f => f.Describe()));
        var status = (await GetJsonAsync(http, $"/history/{promptId}"))[promptId]!["status"]!;
        Assert.Equal("error", (string?)status["status_str"]);
        Assert.False((bool)status["completed"]!);
        Assert.Equal([promptId], fake.Interrupts);
    }

    [Fact]
    public async Task An_upload_of_different_bytes_under_a_taken_name_is_renamed()
    {
        await using var fake = await FakeComfyUi.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };

        var first = await UploadAsync(http, "x.png", [1, 2, 3]);
        var same = await UploadAsync(http, "x.png", [1, 2, 3]);
        var different = await UploadAsync(http, "x.png", [4, 5, 6]);

        Assert.Equal(["x.png", "x.png", "x (1).png"], new[] { first, same, different }.Select(a => (string?)a["name"]));
        Assert.Equal("""{"name":"x (1).png","subfolder":"job1","type":"input"}""", different.ToJsonString());
        Assert.Equal(3, fake.Uploads.Count);
    }

    [Fact]
    public async Task After_StopAsync_open_sockets_drop_and_new_connections_are_refused()
    {
        var fake = await FakeComfyUi.StartAsync();
        await using var lease = fake;
        await using var socket = await ComfySocket.ConnectAsync(fake, "client-1");

        await fake.StopAsync();

        Assert.True(await socket.DroppedAsync());
        using var http = new HttpClient { Timeout = Guard };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"{fake.Url}/system_stats"));
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task At_most_Parallel_prompts_run_and_the_rest_are_counted_as_pending()
    {
        await using var fake = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Parallel = 2, Latency = TimeSpan.FromMilliseconds(400) });
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };
        for (var i = 0; i < 5; i++)
        {
            await PostPromptAsync(http, ImageGraph($"p/{i}"), clientId: null, Guid.NewGuid().ToString("D"));
        }

        var queue = await GetJsonAsync(http, "/queue");
        var remaining = (int)(await GetJsonAsync(http, "/prompt"))["exec_info"]!["queue_remaining"]!;
        await Eventually.WaitUntilAsync(() => Task.FromResult(fake.Completed == 5), "five prompts done", Guard);

        Assert.Equal(2, queue["queue_running"]!.AsArray().Count);
        Assert.Equal([2.0, 3.0, 4.0], queue["queue_pending"]!.AsArray().Select(item => (double)item![0]!));
        Assert.Equal(5, remaining);
        Assert.Equal((MaxRunning: 2, MaxInFlight: 5, InFlight: 0), (fake.MaxRunning, fake.MaxInFlight, fake.InFlight));
    }

    [Fact]
    public async Task A_restart_on_the_same_port_forgets_the_history_but_keeps_the_files()
    {
        var first = await FakeComfyUi.StartAsync(new FakeComfyUiOptions { Latency = TimeSpan.FromMilliseconds(20) });
        await using var firstLease = first;
        using var http = new HttpClient { BaseAddress = new Uri(first.Url) };
        await PostPromptAsync(http, ImageGraph("keep/me"), clientId: null, "p1");
        await Eventually.WaitUntilAsync(() => Task.FromResult(first.Completed == 1), "the prompt done", Guard);
        await first.StopAsync();

        await using var second = await FakeComfyUi.StartAsync(first.Options, first.Port);
        using var again = new HttpClient { BaseAddress = new Uri(second.Url) };

        Assert.Equal("{}", (await GetJsonAsync(again, "/history")).ToJsonString());
        using var view = await again.GetAsync("/view?filename=me_00001_.png&subfolder=keep&type=output");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
    }

    [Fact]
    public async Task A_prompt_picked_by_its_text_fails_with_execution_error_at_the_sampler()
    {
        await using var fake = await FakeComfyUi.StartAsync(new FakeComfyUiOptions
        {
            Latency = TimeSpan.FromMilliseconds(20),
            Behaviour = s => s.Text.Contains("EXPLODE", StringComparison.Ordinal)
                ? new FakeBehaviour.ExecutionError(ExceptionType: "torch.OutOfMemoryError", Message: "out of memory")
                : new FakeBehaviour.Succeed(),
        });
        using var http = new HttpClient { BaseAddress = new Uri(fake.Url) };
        await using var socket = await ComfySocket.ConnectAsync(fake, "client-1");

        await PostPromptAsync(http, TextToImageGraph("EXPLODE"), "client-1", "boom");
        var frames = await socket.UntilDoneAsync("boom");

        var error = Assert.Single(frames, f => f.Type == "execution_error").Data;
        Assert.Equal(("3", "KSampler", "torch.OutOfMemoryError", "out of memory"),
            (error.GetProperty("node_id").GetString(), error.GetProperty("node_type").GetString(),
             error.GetProperty("exception_type").GetString(), error.GetProperty("exception_message").GetString()));
        Assert.DoesNotContain(frames, f => f.Type == "execution_success");
        var status = (await GetJsonAsync(http, "/history/boom"))["boom"]!["status"]!;
        Assert.Equal(("error", false), ((string?)status["status_str"], (bool)status["completed"]!));
    }

    /// <summary>EmptyImage → SaveImage, the recorder's smallest graph.</summary>
    private static JsonObject ImageGraph(string prefix) => new()
    {
        ["1"] = new JsonObject
        {
            ["class_type"] = "EmptyImage",
            ["inputs"] = new JsonObject { ["width"] = 64, ["height"] = 64, ["batch_size"] = 1, ["color"] = 0xFF0000 },
        },
        ["2"] = new JsonObject
        {
            ["class_type"] = "SaveImage",
            ["inputs"] = new JsonObject { ["images"] = new JsonArray("1", 0), ["filename_prefix"] = prefix },
        },
    };

    /// <summary>ComfyUI's default text-to-image workflow (node 3 is the KSampler).</summary>
    private static JsonObject TextToImageGraph(string positive) => (JsonObject)JsonNode.Parse("""
        {
          "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd.safetensors"}},
          "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "POSITIVE", "clip": ["4", 1]}},
          "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
          "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
          "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "cfg": 8, "sampler_name": "euler",
                "scheduler": "normal", "denoise": 1, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
                "latent_image": ["5", 0]}},
          "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
          "9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "t2i/out"}}
        }
        """.Replace("POSITIVE", positive, StringComparison.Ordinal))!;

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostPromptAsync(
        HttpClient http, JsonObject graph, string? clientId, string promptId)
    {
        var body = new JsonObject { ["prompt"] = graph, ["prompt_id"] = promptId };
        if (clientId is not null)
        {
            body["client_id"] = clientId;
        }
        using var response = await PostAsync(http, "/prompt", body);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, JsonObject body) =>
        http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string path) =>
        (JsonObject)JsonNode.Parse(await http.GetStringAsync(path))!;

    private static async Task<JsonObject> UploadAsync(HttpClient http, string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", name);
        form.Add(new StringContent("job1"), "subfolder");
        form.Add(new StringContent("input"), "type");
        using var response = await http.PostAsync("/upload/image", form);
        response.EnsureSuccessStatusCode();
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>One received text frame.</summary>
    private sealed record Frame(string Type, JsonElement Data)
    {
        public string Describe() => Type switch
        {
            "status" => $"status {Data.GetProperty("status").GetProperty("exec_info").GetProperty("queue_remaining")}"
                + (Data.TryGetProperty("sid", out var sid) ? $" sid={sid}" : ""),
            "executing" => $"executing {(Data.GetProperty("node").ValueKind == JsonValueKind.Null ? "null" : Data.GetProperty("node").GetString())}",
            "executed" => $"executed {Data.GetProperty("node")}",
            "progress" => $"progress {Data.GetProperty("value")}/{Data.GetProperty("max")} @{Data.GetProperty("node")}",
            "execution_cached" => $"execution_cached {Data.GetProperty("nodes").GetRawText()}",
            "execution_interrupted" => $"execution_interrupted at {Data.GetProperty("node_id")} ({Data.GetProperty("node_type")})",
            _ => Type,
        };
    }

    /// <summary>A client socket whose frames are read in the background and handed out in order.</summary>
    private sealed class ComfySocket : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
        private readonly TaskCompletionSource<bool> _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Frame> _seen = [];
        private Task _reading = Task.CompletedTask;

        public static async Task<ComfySocket> ConnectAsync(FakeComfyUi fake, string clientId)
        {
            var socket = new ComfySocket();
            using var timeout = new CancellationTokenSource(Guard);
            await socket._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fake.Port}/ws?clientId={clientId}"), timeout.Token);
            socket._reading = socket.ReadAsync();
            return socket;
        }

        /// <summary>Frames up to and including the one that matches, kept for <see cref="UntilDoneAsync"/>.</summary>
        public async Task<IReadOnlyList<Frame>> UntilAsync(Func<Frame, bool> last)
        {
            using var timeout = new CancellationTokenSource(Guard);
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(timeout.Token);
                _seen.Add(frame);
                if (last(frame))
                {
                    return [.. _seen];
                }
            }
        }

        /// <summary>Everything received since connecting, up to the prompt's final executing{node:null}.</summary>
        public Task<IReadOnlyList<Frame>> UntilDoneAsync(string promptId) => UntilAsync(f =>
            f.Type == "executing" && f.Data.GetProperty("node").ValueKind == JsonValueKind.Null
            && f.Data.GetProperty("prompt_id").GetString() == promptId);

        /// <summary>True when the connection broke without a close handshake.</summary>
        public Task<bool> DroppedAsync() => _dropped.Task.WaitAsync(Guard);

        public async ValueTask DisposeAsync()
        {
            _socket.Abort();
            await _reading;
            _socket.Dispose();
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    using var message = new MemoryStream();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                        message.Write(buffer, 0, result.Count);
                    }
                    while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _dropped.TrySetResult(false);
                        return;
                    }
                    using var doc = JsonDocument.Parse(message.ToArray());
                    var root = doc.RootElement;
                    _frames.Writer.TryWrite(new Frame(root.GetProperty("type").GetString()!, root.GetProperty("data").Clone()));
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                _dropped.TrySetResult(true);
            }
        }
    }
}
