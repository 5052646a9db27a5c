namespace VideoAkka.Fakes;

/// <summary>The node classes the fake "has installed". Anything else is refused the way a real server refuses a
/// node whose custom package is missing.</summary>
internal static class NodeCatalog
{
    public static readonly IReadOnlySet<string> OutputNodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "SaveImage", "PreviewImage", "SaveVideo", "SaveWEBM", "SaveAnimatedWEBP", "SaveAnimatedPNG", "VHS_VideoCombine",
        "SaveAudio", "SaveAudioMP3", "SaveAudioOpus", "PreviewAudio",
    };

    private static readonly HashSet<string> OtherNodes = new(StringComparer.Ordinal)
    {
        "CheckpointLoaderSimple", "CLIPTextEncode", "EmptyLatentImage", "EmptySD3LatentImage", "KSampler",
        "KSamplerAdvanced", "VAEDecode", "VAELoader", "UNETLoader", "CLIPLoader", "CLIPVisionLoader",
        "CLIPVisionEncode", "ModelSamplingSD3", "LoadImage", "WanImageToVideo", "Wan22ImageToVideoLatent",
        "LTXVImgToVideo", "LTXVConditioning", "CreateVideo", "EmptyImage", "ImageScale", "ImageBlur", "ImageInvert",
        "PreviewAny", "LoadAudio", "EmptyAudio",
        // The custom speech node of config/workflows/tts-kokoro.json (github.com/stavsap/comfyui-kokoro), as if installed.
        "KokoroSpeaker", "KokoroSpeakerCombiner", "KokoroGenerator",
    };

    /// <summary>Nodes that report sampling steps through <c>progress</c> (main.py's hijacked progress bar).</summary>
    private static readonly HashSet<string> Samplers = new(StringComparer.Ordinal)
    {
        "KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced",
    };

    /// <summary>Save nodes whose file format the test picks through <see cref="FakeComfyUiOptions.VideoExtension"/>.</summary>
    private static readonly HashSet<string> VideoSavers = new(StringComparer.Ordinal)
    {
        "SaveVideo", "SaveWEBM", "SaveAnimatedWEBP", "VHS_VideoCombine",
    };

    public static IEnumerable<string> All => OtherNodes.Concat(OutputNodes).Order(StringComparer.Ordinal);

    public static bool IsKnown(string classType) => OtherNodes.Contains(classType) || OutputNodes.Contains(classType);

    public static bool IsOutput(string classType) => OutputNodes.Contains(classType);

    public static bool IsSampler(string classType) => Samplers.Contains(classType);

    public static bool IsVideoSaver(string classType) => VideoSavers.Contains(classType);
}
