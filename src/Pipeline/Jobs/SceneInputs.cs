using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoAkka.Pipeline.Jobs;

/// <summary>The "if needed" fields of a scene (and their job-wide defaults in options): a given image by URL or by
/// file name, the clip's motion, and a fixed seed. Each is hostile input: a URL the worker will fetch, a name that
/// will be opened inside the run's folder.</summary>
public static partial class SceneInputs
{
    public const int MaxUrlLength = 2048;

    /// <summary>2^53 - 1: the largest integer every JSON client (JavaScript included) reads exactly.</summary>
    public const long MaxSeed = 9_007_199_254_740_991;

    /// <summary>A plain file name with an image extension: no directory, no leading dot, nothing to escape the folder.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(png|jpg|jpeg|webp)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ImageFilePattern();

    public static Uri? ReadImageUrl(JsonElement scene, string path, bool allowPrivate, List<ValidationError> errors)
    {
        if (!scene.TryGetProperty("image_url", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(path, $"must be an absolute http or https URL of at most {MaxUrlLength} characters"));
            return null;
        }
        return CheckUrl(value.GetString()!, path, allowPrivate, errors);
    }

    /// <summary>The image_url rules for any URL the worker will fetch (image_url, options.music).</summary>
    public static Uri? CheckUrl(string text, string path, bool allowPrivate, List<ValidationError> errors)
    {
        if (text.Length > MaxUrlLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            errors.Add(new(path, $"must be an absolute http or https URL of at most {MaxUrlLength} characters"));
            return null;
        }
        if (url.UserInfo.Length > 0)
        {
            // Credentials in a URL end up in logs and records: refused rather than stored.
            errors.Add(new(path, "must not carry a user name or password"));
            return null;
        }
        if (!allowPrivate && (PublicAddress.IsLocalName(url.IdnHost)
            || (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && !PublicAddress.IsPublic(address))))
        {
            errors.Add(new(path, "names a loopback or private address, which this service does not fetch from (videoakka.inputs.image-url.allow-private-networks)"));
            return null;
        }
        return url;
    }

    public static string? ReadImageFile(JsonElement scene, string path, List<ValidationError> errors)
    {
        if (!scene.TryGetProperty("image_file", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || !ImageFilePattern().IsMatch(value.GetString()!))
        {
            errors.Add(new(path, "must be a plain file name in the run's folder (letters, digits, '.', '_', '-'; .png, .jpg, .jpeg or .webp), no path"));
            return null;
        }
        return RefuseWorkerOutput(value.GetString()!, path, errors);
    }

    /// <summary>A scene's own file may not be one the worker writes in the same folder (img_002.png, vid_002.mp4, the
    /// final video): it would be read while it is being written, or replaced by the job itself.</summary>
    private static string? RefuseWorkerOutput(string name, string path, List<ValidationError> errors)
    {
        if (!JobFolder.IsWorkerOutput(name))
        {
            return name;
        }
        errors.Add(new(path, "names a file the worker writes in the run's folder (img_NNN.png, vid_NNN.mp4, stitched_subtitled*.mp4): give it another name"));
        return null;
    }

    /// <summary>A plain file name with a video extension, under the same rules as an image file.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(mp4|mov|m4v|webm|mkv)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ClipFilePattern();

    public static string? ReadClipFile(JsonElement scene, string path, List<ValidationError> errors)
    {
        if (!scene.TryGetProperty("clip_file", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || !ClipFilePattern().IsMatch(value.GetString()!))
        {
            errors.Add(new(path, "must be a plain file name in the run's folder (letters, digits, '.', '_', '-'; .mp4, .mov, .m4v, .webm or .mkv), no path"));
            return null;
        }
        return RefuseWorkerOutput(value.GetString()!, path, errors);
    }

    public static SceneMotion? ReadMotion(JsonElement parent, string path, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty("motion", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || !SceneMotionNames.TryParse(value.GetString(), out var motion))
        {
            errors.Add(new(path, "must be \"model\" (image-to-video) or \"kenburns\" (pan and zoom over the image, no GPU)"));
            return null;
        }
        return motion;
    }

    public static long? ReadSeed(JsonElement parent, string path, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty("seed", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seed) || seed is < 0 or > MaxSeed)
        {
            errors.Add(new(path, $"must be a whole number from 0 to {MaxSeed}"));
            return null;
        }
        return seed;
    }
}
