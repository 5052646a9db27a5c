using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Http;

/// <summary>
/// GET /orchestrate/jobs/{job_id}/scenes/{index}/thumbnail: a scene's image (img_NNN.png in the job's folder) as soon
/// as it is made, so a page can show each scene while the job still runs; 404 (thumbnail-not-ready) before. The path
/// is built by <see cref="JobFolder"/> from the job's own run id and a scene number checked against the job's prompts:
/// nothing in the URL names a file. An image of another job that used the same run id is never served.
/// </summary>
public static class SceneThumbnailApi
{
    /// <summary>The last 12 bytes of every complete PNG: its IEND chunk. An image still being written has not got it.</summary>
    private static readonly byte[] PngEnd = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ThumbnailAsync(
        string job_id, string index, IJobStore store, HttpSettings settings, HttpResponse response, CancellationToken cancellationToken)
    {
        var (record, problem) = await JobRecordReader.ReadAsync(job_id, store, response);
        if (record is null)
        {
            return problem!;
        }
        var scenes = SceneCount(record.Payload);
        if (!(index.Length <= 3 && int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var scene)
            && scene >= 1 && scene <= scenes))
        {
            return Problems.UnknownScene(job_id, scenes);
        }
        var folder = JobFolder.For(settings.DataRoot, record.RunId);
        var path = folder.Image(scene);
        // Until this job's manifest is in the folder, what is there is an earlier job's with the same run id.
        if (await folder.ManifestJobIdAsync() != job_id || !await IsCompletePngAsync(path, cancellationToken))
        {
            return Problems.ThumbnailNotReady(job_id, scene);
        }
        // Behind the API key: only the browser that asked keeps it. A retry may remake a scene, so it is checked again
        // after a while (the ETag makes that cheap).
        response.Headers.CacheControl = "private, max-age=60";
        var file = new FileInfo(path);
        return TypedResults.PhysicalFile(path, "image/png", lastModified: file.LastWriteTimeUtc,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.LastWriteTimeUtc.Ticks:x}-{file.Length:x}\""));
    }

    private static int SceneCount(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("prompts", out var prompts) && prompts.ValueKind == JsonValueKind.Array
            ? prompts.GetArrayLength()
            : 0;

    private static async Task<bool> IsCompletePngAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
            if (file.Length < PngEnd.Length)
            {
                return false;
            }
            file.Seek(-PngEnd.Length, SeekOrigin.End);
            var tail = new byte[PngEnd.Length];
            await file.ReadExactlyAsync(tail, cancellationToken);
            return tail.AsSpan().SequenceEqual(PngEnd);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
