using VideoAkka.Host;
using VideoAkka.Pipeline.Graph;

namespace VideoAkka.Tests.Unit;

/// <summary>Where the HOCON the service runs on comes from: the file, and the environment variables that name a value.</summary>
public sealed class HoconSourcesSpecs
{
    [Fact]
    public void The_worker_id_can_come_from_VIDEOAKKA_WORKER_ID()
    {
        var options = new ServiceOptions { WorkerId = "worker-7" };

        var (config, _) = HoconFile.Load(null, options.EffectiveHoconOverrides);

        Assert.Equal("worker-7", PipelineSettings.Create(config).Queue.WorkerId);
    }

    [Fact]
    public void A_worker_id_that_is_not_a_plain_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceOptions { WorkerId = "w\"\nvideoakka.stages.stitch.parallelism = 0" }.EffectiveHoconOverrides);

        Assert.Contains("VIDEOAKKA_WORKER_ID", error.Message);
    }

    [Fact]
    public void The_repository_configuration_file_loads_and_validates()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "config", "akka.hocon");

        var (config, source) = HoconFile.Load(file, null);

        Assert.Equal(file, source);
        Assert.Equal(2, PipelineSettings.Create(config).Stages.ImageGen);
    }
}
