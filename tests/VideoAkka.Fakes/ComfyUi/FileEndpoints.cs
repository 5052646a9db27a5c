using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace VideoAkka.Fakes;

/// <summary>GET /view and POST /upload/image (server.py view_image / image_upload).</summary>
internal sealed class FileEndpoints(DataFolders folders, Recorder recorder)
{
    private readonly Lock _uploadNaming = new();

    public async Task ViewAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        if (!query.TryGetValue("filename", out var requested))
        {
            await HttpReplies.EmptyAsync(ctx, 404).ConfigureAwait(false);
            return;
        }
        var (filename, annotation) = DataFolders.SplitAnnotation(requested.ToString());
        if (filename.Length == 0 || filename.StartsWith('/') || filename.Contains("..", StringComparison.Ordinal))
        {
            await HttpReplies.EmptyAsync(ctx, 400).ConfigureAwait(false);
            return;
        }
        var dir = folders.ByType(annotation ?? (query.TryGetValue("type", out var type) ? type.ToString() : "output"));
        if (dir is null)
        {
            await HttpReplies.EmptyAsync(ctx, 400).ConfigureAwait(false);
            return;
        }
        if (query.TryGetValue("subfolder", out var subfolder))
        {
            dir = DataFolders.Under(dir, subfolder.ToString());
            if (dir is null)
            {
                await HttpReplies.EmptyAsync(ctx, 403).ConfigureAwait(false);
                return;
            }
        }
        // Directory parts of the filename are dropped: they belong in subfolder.
        var path = Path.Combine(dir, Path.GetFileName(filename));
        if (!File.Exists(path))
        {
            await HttpReplies.EmptyAsync(ctx, 404).ConfigureAwait(false);
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = ContentType(path);
        ctx.Response.ContentLength = new FileInfo(path).Length;
        ctx.Response.Headers.ContentDisposition = $"filename=\"{Path.GetFileName(path)}\"";
        await ctx.Response.SendFileAsync(path, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Without overwrite, a clash with identical bytes reuses the stored name and different bytes get
    /// "name (1).ext"; the answer carries the name to use.</summary>
    public async Task UploadAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            await HttpReplies.EmptyAsync(ctx, 400).ConfigureAwait(false);
            return;
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        var typeField = form.TryGetValue("type", out var t) ? t.ToString() : null;
        var type = typeField ?? "input";
        if (folders.ByType(type) is not { } baseDir)
        {
            await HttpReplies.ServerErrorAsync(ctx).ConfigureAwait(false); // os.path.join(None, ...) in the real one
            return;
        }
        var image = form.Files.GetFile("image");
        var subfolder = form.TryGetValue("subfolder", out var s) ? s.ToString() : "";
        if (image is null || image.FileName.Length == 0
            || DataFolders.Under(baseDir, subfolder) is not { } folder
            || DataFolders.Under(baseDir, Path.Combine(subfolder, image.FileName)) is null)
        {
            await HttpReplies.EmptyAsync(ctx, 400).ConfigureAwait(false);
            return;
        }
        using var buffer = new MemoryStream();
        await image.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        var overwrite = form.TryGetValue("overwrite", out var o) && o.ToString() is "true" or "1";
        var name = Store(folder, image.FileName, bytes, overwrite);
        recorder.Uploads.Add(new FakeUpload(name, image.FileName, subfolder, type, bytes.Length));
        await HttpReplies.JsonAsync(ctx, new JsonObject { ["name"] = name, ["subfolder"] = subfolder, ["type"] = type }).ConfigureAwait(false);
    }

    private string Store(string folder, string fileName, byte[] bytes, bool overwrite)
    {
        lock (_uploadNaming)
        {
            Directory.CreateDirectory(folder);
            var (stem, ext) = (Path.GetFileNameWithoutExtension(fileName), Path.GetExtension(fileName));
            var name = fileName;
            for (var i = 1; !overwrite && File.Exists(Path.Combine(folder, name)); i++)
            {
                if (File.ReadAllBytes(Path.Combine(folder, name)).AsSpan().SequenceEqual(bytes))
                {
                    return name;
                }
                name = $"{stem} ({i}){ext}";
            }
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
            return name;
        }
    }

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".mp4" => "video/mp4",
        ".webm" => "video/webm",
        ".json" => "application/json",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };
}
