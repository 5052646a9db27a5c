using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class JobFolderSpecs
{
    private const string Root = "/data/shared";

    [Theory]
    [InlineData("run-1")]
    [InlineData("My_run.v2")]
    [InlineData("a")]
    public void A_valid_run_id_maps_to_a_folder_directly_under_the_root(string runId)
    {
        var folder = JobFolder.For(Root, runId).Path;

        Assert.Equal($"{Root}/{runId}", folder);
    }

    [Fact]
    public void A_root_given_with_a_trailing_separator_gives_the_same_folder() =>
        Assert.Equal("/data/shared/run-1", JobFolder.For("/data/shared/", "run-1").Path);

    [Fact]
    public void A_relative_root_is_resolved_to_a_full_path()
    {
        var folder = JobFolder.For("relative-data", "run-1").Path;

        Assert.Equal(Path.Combine(Path.GetFullPath("relative-data"), "run-1"), folder);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("../../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/etc")]
    [InlineData("a/b")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("-rf")]
    public void A_run_id_that_would_leave_or_nest_under_the_root_is_refused(string runId) =>
        Assert.Throws<ArgumentException>(() => JobFolder.For(Root, runId).Path);

    [Fact]
    public void A_run_id_with_a_trailing_newline_is_refused() =>
        Assert.Throws<ArgumentException>(() => JobFolder.For(Root, "abc\n").Path);

    [Fact]
    public void A_run_id_under_the_file_system_root_maps_to_a_folder_there() =>
        Assert.Equal("/run-1", JobFolder.For("/", "run-1").Path);

    [Theory]
    [InlineData("/data/shared/run-1/stitched_subtitled.mp4")]
    [InlineData("/data/shared/run-1")]
    [InlineData("/data/shared/x/../run-1/video.mp4")]
    public void A_path_under_the_root_is_inside(string path) =>
        Assert.True(JobFolder.IsInside(Root, path));

    [Theory]
    [InlineData("/data/shared2/run-1/video.mp4")]
    [InlineData("/data/shared-other/video.mp4")]
    [InlineData("/data/shared/../shared2/video.mp4")]
    [InlineData("/data/shared/run-1/../../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("/data/shared")]
    [InlineData("/data")]
    public void A_path_outside_the_root_is_not_inside(string path) =>
        Assert.False(JobFolder.IsInside(Root, path));

    [Fact]
    public void A_root_with_a_trailing_separator_still_rejects_a_sibling_with_the_same_prefix() =>
        Assert.False(JobFolder.IsInside("/data/shared/", "/data/shared2/video.mp4"));
}
