using System.Collections.Immutable;
using System.Text.Json;

namespace VideoAkka.Pipeline.Generation.ComfyUi;

/// <summary>What a ComfyUI output file is to us: a still we can use as a scene image, a clip, speech, or none of them.</summary>
public enum ComfyUiOutputKind
{
    Image,
    Video,
    Audio,
    Other,
}

/// <summary>
/// One file a node named in its UI output (an <c>executed</c> frame or a history entry's <c>outputs</c>), with the
/// three values <c>/view</c> needs to fetch it. ComfyUI has no dedicated key for videos: SaveVideo and SaveWEBM report
/// their files under <c>images</c> next to <c>animated: [true]</c>, VideoHelperSuite uses <c>gifs</c>, custom nodes
/// use their own keys. So the kind comes from the file's extension and <see cref="Animated"/>, never from the key.
/// </summary>
/// <param name="NodeId">The node whose output named the file.</param>
/// <param name="Key">The UI key it was found under ("images", "gifs", "audio", ...); informative only.</param>
/// <param name="Subfolder">Relative to the server's folder of <paramref name="Type"/>; "" when none.</param>
/// <param name="Type">"output", "temp" or "input": which server folder <c>/view</c> reads it from.</param>
/// <param name="Animated">The node marked its output animated (<c>animated: [true]</c>, or VideoHelperSuite's <c>gifs</c>).</param>
public sealed record ComfyUiOutputFile(string NodeId, string Key, string Filename, string Subfolder, string Type, bool Animated)
{
    private static readonly ImmutableHashSet<string> StillExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    private static readonly ImmutableHashSet<string> VideoExtensions = [".mp4", ".webm", ".mov", ".mkv", ".gif"];

    private static readonly ImmutableHashSet<string> AnimatableExtensions = [".webp", ".png"];

    /// <summary>SaveAudio (.flac), SaveAudioMP3, SaveAudioOpus, and what custom speech nodes save (.wav, .ogg).</summary>
    private static readonly ImmutableHashSet<string> AudioExtensions = [".flac", ".mp3", ".opus", ".ogg", ".wav"];

    /// <summary>Lower-case, with the dot (".png", ".mp4"); "" when the name has none.</summary>
    public string Extension => Path.GetExtension(Filename).ToLowerInvariant();

    /// <summary>Null when the file is named as ComfyUI names its outputs: a plain file name, a relative subfolder that
    /// stays inside its folder, one of the three folder types. Otherwise what is wrong with it, for the job's error.
    /// The name is a remote server's: it never becomes a path of ours, and one that tries to leave its folder is not
    /// fetched at all.</summary>
    public string? Refusal()
    {
        var name = ComfyUiText.OneLine(Filename, 80);
        if (Filename is "." or ".." || Filename.Contains("..", StringComparison.Ordinal) || Filename.IndexOfAny(['/', '\\', ':']) >= 0
            || Filename.Any(char.IsControl))
        {
            return $"\"{name}\", which is not a plain file name";
        }
        if (Subfolder.StartsWith('/') || Subfolder.IndexOfAny(['\\', ':']) >= 0 || Subfolder.Any(char.IsControl)
            || Subfolder.Split('/').Any(part => part is "." or ".."))
        {
            return $"\"{name}\" in subfolder \"{ComfyUiText.OneLine(Subfolder, 80)}\", which leaves its folder";
        }
        if (Type is not ("output" or "temp" or "input"))
        {
            return $"\"{name}\" of type \"{ComfyUiText.OneLine(Type, 20)}\", which is no ComfyUI folder";
        }
        return null;
    }

    /// <summary>Video for clip containers and GIFs, and for animated WEBP/PNG; Image for stills; Audio for sound files
    /// (whatever key reported them); Other for the rest (latents, 3D files...).</summary>
    public ComfyUiOutputKind Kind => Extension switch
    {
        var e when VideoExtensions.Contains(e) => ComfyUiOutputKind.Video,
        var e when Animated && AnimatableExtensions.Contains(e) => ComfyUiOutputKind.Video,
        var e when StillExtensions.Contains(e) => ComfyUiOutputKind.Image,
        var e when AudioExtensions.Contains(e) => ComfyUiOutputKind.Audio,
        _ => ComfyUiOutputKind.Other,
    };
}

/// <summary>Reads the files out of one node's UI output object. Shared by the WS <c>executed</c> frame and the
/// history entry, which carry the same object.</summary>
internal static class ComfyUiOutputFiles
{
    /// <summary>Every element, under every key, that is an object with string <c>filename</c> and <c>type</c>, in key
    /// order then array order. Anything else (text, booleans, unknown shapes) is skipped.</summary>
    public static ImmutableArray<ComfyUiOutputFile> Read(string nodeId, JsonElement output)
    {
        if (output.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        var animated = IsAnimated(output);
        var files = ImmutableArray.CreateBuilder<ComfyUiOutputFile>();
        foreach (var property in output.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            foreach (var element in property.Value.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object
                    && ComfyUiJson.String(element, "filename") is { Length: > 0 } filename
                    && ComfyUiJson.String(element, "type") is { } type)
                {
                    var subfolder = ComfyUiJson.String(element, "subfolder") ?? "";
                    files.Add(new ComfyUiOutputFile(nodeId, property.Name, filename, subfolder, type, animated || property.Name == "gifs"));
                }
            }
        }
        return files.ToImmutable();
    }

    private static bool IsAnimated(JsonElement output) =>
        output.TryGetProperty("animated", out var flags)
        && flags.ValueKind == JsonValueKind.Array
        && flags.EnumerateArray().Any(flag => flag.ValueKind == JsonValueKind.True);
}
