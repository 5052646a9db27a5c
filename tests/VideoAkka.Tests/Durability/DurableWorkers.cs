using VideoAkka.Tests.ComfyUi;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Durability;

/// <summary>What the durable-jobs specs share: short leases so that a lost worker is noticed within seconds.</summary>
public static class DurableWorkers
{
    public const string Leases = """

        videoakka.worker.lease = 2s
        videoakka.worker.block-timeout = 1s
        videoakka.worker.progress-interval = 200ms
        videoakka.retention.keep-completed-journals = on
        """;

    /// <summary>Draft renderer, small frames.</summary>
    public const string DraftHocon = ServiceUnderTest.SmallFrames + Leases;

    /// <summary>The fake ComfyUI's quick settings.</summary>
    public const string ComfyHocon = ComfyUiJobs.Hocon + Leases;

    public static string Status(System.Text.Json.JsonElement record) => record.GetProperty("status").GetString()!;
}
