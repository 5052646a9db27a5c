using VideoAkka.Pipeline.Media;
using Xunit;

namespace VideoAkka.Tests.Unit;

public class CueTimingSpecs
{
    [Fact]
    public void Cues_from_spoken_durations_follow_each_other_without_gaps()
    {
        var cues = CueTiming.FromSpokenDurations(["a", "b", "c"], [1.5, 0.25, 2.0]);

        Assert.Equal(
            [new SubtitleCue(0, 1.5, "a"), new SubtitleCue(1.5, 1.75, "b"), new SubtitleCue(1.75, 3.75, "c")],
            cues.ToArray());
    }

    [Fact]
    public void Cues_from_spoken_durations_end_at_the_sum_of_the_durations()
    {
        double[] durations = [0.8, 1.2, 0.5, 2.5];

        var cues = CueTiming.FromSpokenDurations(["a", "b", "c", "d"], durations);

        Assert.Equal(durations.Sum(), cues[^1].End);
    }

    [Fact]
    public void A_duration_count_different_from_the_piece_count_is_refused() =>
        Assert.Throws<ArgumentException>(() => CueTiming.FromSpokenDurations(["a", "b"], [1.0]));

    [Fact]
    public void Proportional_cues_start_at_zero_and_end_exactly_at_the_total()
    {
        var cues = CueTiming.Proportional(["One.", "Two words.", "And three more words here."], 10.0);

        Assert.Equal(0.0, cues[0].Start);
        Assert.Equal(10.0, cues[^1].End);
    }

    [Fact]
    public void Proportional_cues_are_contiguous()
    {
        var cues = CueTiming.Proportional(["One.", "Two words.", "And three more words here.", "Last."], 7.3);

        for (var i = 1; i < cues.Length; i++)
        {
            Assert.Equal(cues[i - 1].End, cues[i].Start);
        }
    }

    [Fact]
    public void Proportional_cues_last_in_proportion_to_their_length()
    {
        var cues = CueTiming.Proportional([new string('a', 10), new string('b', 30)], 8.0);

        Assert.Equal(2.0, cues[0].End - cues[0].Start, 9);
        Assert.Equal(6.0, cues[1].End - cues[1].Start, 9);
    }

    [Fact]
    public void Proportional_cues_keep_the_pieces_in_order() =>
        Assert.Equal(["x", "y", "z"], CueTiming.Proportional(["x", "y", "z"], 3).Select(c => c.Text).ToArray());
}
