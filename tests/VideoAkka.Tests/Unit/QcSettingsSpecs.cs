using Akka.Configuration;
using VideoAkka.Pipeline.Graph;
using VideoAkka.Pipeline.Media.Qc;

namespace VideoAkka.Tests.Unit;

/// <summary>videoakka.qc and videoakka.stages.qc: read from HOCON, defaults that today's renders pass, bad values
/// refused at start naming the key.</summary>
public sealed class QcSettingsSpecs
{
    private static PipelineSettings Load(string hocon = "") => PipelineSettings.Create(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_defaults_are_the_documented_limits() =>
        Assert.Equal(new QcSettings(0.25, -16, -12, -1, -60, 1.0, 0.10, 0.98, BlackFails: false), Load().Qc);

    [Fact]
    public void The_qc_stage_has_its_own_parallelism_and_timeout()
    {
        var stages = Load("videoakka.stages.qc { parallelism = 3, timeout = 2m }").Stages;

        Assert.Equal((3, TimeSpan.FromMinutes(2)), (stages.Qc, stages.Timeouts.Qc));
    }

    [Fact]
    public void The_loudness_range_tightens_from_config()
    {
        var qc = Load("videoakka.qc.loudness { min = -15, max = -13, max-true-peak = -1 }").Qc;

        Assert.Equal((-15.0, -13.0, -1.0), (qc.LoudnessMin, qc.LoudnessMax, qc.MaxTruePeak));
    }

    [Theory]
    [InlineData("videoakka.qc.loudness { min = -10, max = -20 }", "videoakka.qc.loudness")]
    [InlineData("videoakka.qc.duration-tolerance = 0s", "videoakka.qc.duration-tolerance")]
    [InlineData("videoakka.qc.black.max = 10ms", "videoakka.qc.black.max")]
    [InlineData("videoakka.qc.black.picture-threshold = 1.5", "videoakka.qc.black.picture-threshold")]
    [InlineData("videoakka.qc.loudness.silence-below = -10", "videoakka.qc.loudness.silence-below")]
    [InlineData("videoakka.stages.qc.parallelism = 0", "videoakka.stages.qc.parallelism")]
    public void A_bad_value_is_refused_at_start_naming_its_key(string hocon, string key) =>
        Assert.Contains(key, Assert.Throws<ArgumentException>(() => Load(hocon)).Message);
}
