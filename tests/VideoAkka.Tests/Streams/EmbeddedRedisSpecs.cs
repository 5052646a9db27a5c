using System.Diagnostics;
using VideoAkka.Pipeline.Queue;

namespace VideoAkka.Tests.Streams;

/// <summary>Two redis-servers must never append to one data folder's file.</summary>
public sealed class EmbeddedRedisSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("videoakka-embedded-").FullName;

    private string OwnerFile => Path.Combine(_folder, "embedded-redis.owner");

    [Fact]
    public async Task A_server_left_behind_by_a_dead_parent_is_stopped_before_a_new_one_starts_on_its_folder()
    {
        await using var first = await RedisServerProcess.StartAsync(_folder);
        var orphanPid = int.Parse((await File.ReadAllTextAsync(OwnerFile)).Split(' ')[0]);
        await RecordParentAsync(await DeadPidAsync());

        await using var second = await RedisServerProcess.StartAsync(_folder);

        Assert.False(IsRunning(orphanPid), "the orphaned server still runs beside the new one");
        Assert.NotEqual(first.Port, second.Port);
    }

    [Fact]
    public async Task A_folder_whose_server_belongs_to_a_running_videoakka_is_refused()
    {
        await using var first = await RedisServerProcess.StartAsync(_folder);
        using var otherVideoAkka = Process.Start(new ProcessStartInfo("bash", ["-c", "sleep 60; true", "VideoAkka.Host"]))!;
        try
        {
            await RecordParentAsync(otherVideoAkka.Id);

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServerProcess.StartAsync(_folder));

            Assert.Contains($"pid {otherVideoAkka.Id}", refused.Message);
            Assert.EndsWith("run a redis-server of your own and set REDIS_URL on each", refused.Message);
        }
        finally
        {
            otherVideoAkka.Kill(entireProcessTree: true);
        }
    }

    private async Task RecordParentAsync(int parent)
    {
        var parts = (await File.ReadAllTextAsync(OwnerFile)).Split(' ');
        await File.WriteAllTextAsync(OwnerFile, $"{parts[0]} {parts[1]} {parent}");
    }

    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start("true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
