using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class SceneSharesSpecs
{
    [Fact]
    public void Equal_weights_share_the_frames_and_add_up_to_the_whole()
    {
        var frames = SceneShares.Frames([1, 1, 1], 7.25, 30);

        Assert.Equal([73, 72, 73], frames.ToArray());
        Assert.Equal(218, frames.Sum()); // 7.25 s at 30 fps, rounded
    }

    [Fact]
    public void Frames_follow_the_weights()
    {
        Assert.Equal([60, 120, 195], SceneShares.Frames([2, 4, 6.5], 12.5, 30).ToArray());
    }

    [Fact]
    public void Every_scene_keeps_at_least_one_frame()
    {
        var frames = SceneShares.Frames([0.0001, 10, 0.0001], 1, 10);

        Assert.All(frames, f => Assert.True(f >= 1));
        Assert.Equal(10, frames.Sum());
    }

    private static readonly SubtitleCue[] Cues =
    [
        new(0, 2, "The first sentence is here."),
        new(2, 3, "Short one."),
        new(3, 7.5, "And a third sentence that takes longer to say."),
    ];

    [Fact]
    public void Scene_texts_matching_the_sentences_last_as_long_as_their_speech()
    {
        var seconds = SceneShares.FromSceneTexts(["The first sentence is here.", "Short one.", "And a third sentence that takes longer to say."], Cues, 7.5);

        Assert.Equal([2.0, 1.0, 4.5], seconds!.Value.ToArray());
    }

    [Fact]
    public void A_scene_with_two_sentences_lasts_as_long_as_both()
    {
        var seconds = SceneShares.FromSceneTexts(["The first sentence is here. Short one.", "And a third sentence that takes longer to say."], Cues, 7.5);

        Assert.Equal([3.0, 4.5], seconds!.Value.ToArray());
    }

    [Fact]
    public void Without_a_text_on_every_scene_there_are_no_text_shares()
    {
        Assert.Null(SceneShares.FromSceneTexts(["The first sentence is here.", null, "x"], Cues, 7.5));
        Assert.Null(SceneShares.FromSceneTexts(["a", "b"], [], 7.5));
    }
}
