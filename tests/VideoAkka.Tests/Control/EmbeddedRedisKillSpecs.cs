using VideoAkka.Tests.Durability;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>Issue 11: no embedded redis-server outlives the service, however it exits: killed with SIGKILL, it takes
/// its redis-server with it (the kernel's parent-death signal).</summary>
public sealed class EmbeddedRedisKillSpecs
{
    [Fact]
    public async Task A_service_killed_with_sigkill_takes_its_embedded_redis_server_with_it()
    {
        var dataRoot = Directory.CreateTempSubdirectory("videoakka-embedded-kill-").FullName;
        try
        {
            await using var service = WorkerProcess.Start(redisUrl: null, dataRoot, DurableWorkers.DraftHocon, role: "both");
            await service.WaitUntilRunningAsync();
            var owner = await File.ReadAllTextAsync(Path.Combine(dataRoot, ".redis", "embedded-redis.owner"));
            var redisPid = int.Parse(owner.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsRunning(redisPid), $"redis-server {redisPid} is not running\n{service.Log}");

            await service.KillAsync();

            await Eventually.WaitUntilAsync(() => Task.FromResult(!IsRunning(redisPid)), "the embedded redis-server to end with its service", TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(dataRoot, recursive: true);
        }
    }

    private static bool IsRunning(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";
}
