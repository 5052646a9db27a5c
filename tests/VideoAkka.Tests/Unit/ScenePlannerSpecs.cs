using System.Collections.Immutable;
using VideoAkka.Pipeline.Generation;
using VideoAkka.Pipeline.Jobs;
using Xunit;

namespace VideoAkka.Tests.Unit;

/// <summary>A job's scenes are settled once, when it starts: length, seed, and where each image and clip comes from.</summary>
public class ScenePlannerSpecs
{
    private static readonly JobFolder Folder = new(Path.Combine(Path.GetTempPath(), "videoakka-planner", "run-1"));
    private static readonly VideoFormat Format = new(1080, 1920, 30);

    private static ImmutableArray<SceneTask> Plan(IEnumerable<ScenePrompt> prompts, JobOptions? options = null, Random? random = null, double defaultSeconds = 4) =>
        ScenePlanner.Plan("job-1", new JobRequest("Hello.", null, [.. prompts], "run-1", options ?? JobOptions.Default), Folder, Format, defaultSeconds, random ?? new Random(1234));

    private static SceneTask PlanOne(ScenePrompt prompt, JobOptions? options = null) => Assert.Single(Plan([prompt], options));

    private static JobOptions WithSeed(long seed) => JobOptions.Default with { Seed = seed };

    private static JobOptions WithMotion(SceneMotion motion) => JobOptions.Default with { Motion = motion };

    private static readonly Uri SomeUrl = new("https://example.com/a.png");

    [Fact]
    public void Each_prompt_becomes_a_scene_numbered_from_1_in_order()
    {
        var scenes = Plan([new ScenePrompt("a"), new ScenePrompt("b"), new ScenePrompt("c")]);

        Assert.Equal([1, 2, 3], scenes.Select(s => s.Index).ToArray());
        Assert.Equal(["a", "b", "c"], scenes.Select(s => s.Prompt.Image).ToArray());
        Assert.All(scenes, s => Assert.Equal("job-1", s.JobId));
        Assert.All(scenes, s => Assert.Equal(Folder, s.Folder));
        Assert.All(scenes, s => Assert.Equal(Format, s.Format));
    }

    [Fact]
    public void A_scene_gets_its_own_duration_or_the_default()
    {
        var scenes = Plan([new ScenePrompt("a", Duration: 2.5), new ScenePrompt("b")], defaultSeconds: 4);

        Assert.Equal([2.5, 4.0], scenes.Select(s => s.DurationSeconds).ToArray());
    }

    // seeds

    [Fact]
    public void A_scene_seed_wins_over_the_options_seed() =>
        Assert.Equal(7, PlanOne(new ScenePrompt("a", Seed: 7), WithSeed(1000)).Seed);

    [Fact]
    public void A_scene_seed_wins_over_a_random_seed() =>
        Assert.Equal(SceneInputs.MaxSeed, PlanOne(new ScenePrompt("a", Seed: SceneInputs.MaxSeed)).Seed);

    [Fact]
    public void Without_a_scene_seed_scene_n_gets_the_options_seed_plus_n_minus_1()
    {
        var scenes = Plan([new ScenePrompt("a"), new ScenePrompt("b"), new ScenePrompt("c")], WithSeed(1000));

        Assert.Equal([1000L, 1001L, 1002L], scenes.Select(s => s.Seed).ToArray());
    }

    [Fact]
    public void A_scene_seed_replaces_only_its_own_scene_in_the_options_sequence()
    {
        var scenes = Plan([new ScenePrompt("a"), new ScenePrompt("b", Seed: 5), new ScenePrompt("c")], WithSeed(1000));

        Assert.Equal([1000L, 5L, 1002L], scenes.Select(s => s.Seed).ToArray());
    }

    [Fact]
    public void An_options_seed_sequence_never_passes_the_largest_seed()
    {
        var scenes = Plan([new ScenePrompt("a"), new ScenePrompt("b"), new ScenePrompt("c")], WithSeed(SceneInputs.MaxSeed - 1));

        Assert.All(scenes, s => Assert.InRange(s.Seed, 0, SceneInputs.MaxSeed));
        Assert.Equal(SceneInputs.MaxSeed - 1, scenes[0].Seed);
    }

    [Fact]
    public void The_options_seed_ignores_the_random_source()
    {
        var first = Plan([new ScenePrompt("a"), new ScenePrompt("b")], WithSeed(3), new Random(1));
        var second = Plan([new ScenePrompt("a"), new ScenePrompt("b")], WithSeed(3), new Random(2));

        Assert.Equal(first.Select(s => s.Seed), second.Select(s => s.Seed));
    }

    [Fact]
    public void Random_seeds_stay_below_2_pow_48()
    {
        var scenes = Plan(Enumerable.Range(0, 100).Select(i => new ScenePrompt($"scene {i}")), random: new Random(42));

        Assert.All(scenes, s => Assert.InRange(s.Seed, 0, (1L << 48) - 1));
        Assert.Equal(1L << 48, ScenePlanner.RandomSeedLimit);
    }

    [Fact]
    public void Random_seeds_differ_from_scene_to_scene()
    {
        var scenes = Plan(Enumerable.Range(0, 100).Select(i => new ScenePrompt($"scene {i}")), random: new Random(42));

        Assert.Equal(100, scenes.Select(s => s.Seed).Distinct().Count());
    }

    [Fact]
    public void Random_seeds_come_from_the_random_source_given()
    {
        var first = Plan([new ScenePrompt("a"), new ScenePrompt("b")], random: new Random(42));
        var again = Plan([new ScenePrompt("a"), new ScenePrompt("b")], random: new Random(42));

        Assert.Equal(first.Select(s => s.Seed), again.Select(s => s.Seed));
    }

    [Fact]
    public void Random_seeds_differ_from_job_to_job()
    {
        var random = new Random(42);
        var first = Plan([new ScenePrompt("a")], random: random);
        var second = Plan([new ScenePrompt("a")], random: random);

        Assert.NotEqual(first[0].Seed, second[0].Seed);
    }

    // sources

    [Fact]
    public void A_plain_scene_comes_wholly_from_the_backend() =>
        Assert.Equal(new SceneSources(ImageSource.Backend, ClipSource.Backend), PlanOne(new ScenePrompt("a")).Sources);

    [Fact]
    public void A_scene_with_an_image_url_takes_its_image_from_the_url() =>
        Assert.Equal(new SceneSources(ImageSource.Url, ClipSource.Backend), PlanOne(new ScenePrompt("", ImageUrl: SomeUrl)).Sources);

    [Fact]
    public void A_scene_with_an_image_file_takes_its_image_from_the_file() =>
        Assert.Equal(new SceneSources(ImageSource.File, ClipSource.Backend), PlanOne(new ScenePrompt("", ImageFile: "mine.png")).Sources);

    [Fact]
    public void A_kenburns_scene_takes_its_clip_from_ken_burns() =>
        Assert.Equal(new SceneSources(ImageSource.Backend, ClipSource.KenBurns), PlanOne(new ScenePrompt("a", Motion: SceneMotion.KenBurns)).Sources);

    [Fact]
    public void Kenburns_in_the_options_reaches_every_scene_that_does_not_say_otherwise()
    {
        var scenes = Plan([new ScenePrompt("a"), new ScenePrompt("", ImageFile: "mine.png")], WithMotion(SceneMotion.KenBurns));

        Assert.Equal(
            [new SceneSources(ImageSource.Backend, ClipSource.KenBurns), new SceneSources(ImageSource.File, ClipSource.KenBurns)],
            scenes.Select(s => s.Sources).ToArray());
    }

    [Fact]
    public void A_scene_model_motion_overrides_kenburns_in_the_options() =>
        Assert.Equal(ClipSource.Backend, PlanOne(new ScenePrompt("a", Motion: SceneMotion.Model), WithMotion(SceneMotion.KenBurns)).Sources.Clip);

    [Fact]
    public void A_scene_kenburns_motion_overrides_model_in_the_options() =>
        Assert.Equal(ClipSource.KenBurns, PlanOne(new ScenePrompt("a", Motion: SceneMotion.KenBurns), WithMotion(SceneMotion.Model)).Sources.Clip);

    [Fact]
    public void A_given_image_with_kenburns_needs_no_backend_at_all() =>
        Assert.Equal(new SceneSources(ImageSource.Url, ClipSource.KenBurns), PlanOne(new ScenePrompt("", ImageUrl: SomeUrl, Motion: SceneMotion.KenBurns)).Sources);

    // maker names for the manifest

    [Theory]
    [InlineData(ImageSource.Backend, "comfyui")]
    [InlineData(ImageSource.Url, "image_url")]
    [InlineData(ImageSource.File, "image_file")]
    public void The_image_maker_is_named_by_its_source(ImageSource image, string expected) =>
        Assert.Equal(expected, new SceneSources(image, ClipSource.Backend).ImageMaker("comfyui"));

    [Theory]
    [InlineData(ClipSource.Backend, "draft")]
    [InlineData(ClipSource.KenBurns, "kenburns")]
    public void The_clip_maker_is_named_by_its_source(ClipSource clip, string expected) =>
        Assert.Equal(expected, new SceneSources(ImageSource.Backend, clip).ClipMaker("draft"));

    [Fact]
    public void A_given_image_and_a_kenburns_clip_never_name_the_backend()
    {
        var sources = PlanOne(new ScenePrompt("", ImageFile: "mine.png", Motion: SceneMotion.KenBurns)).Sources;

        Assert.Equal(("image_file", "kenburns"), (sources.ImageMaker("comfyui"), sources.ClipMaker("comfyui")));
    }
}
