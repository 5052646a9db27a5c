using System.Globalization;
using System.Text;

namespace VideoAkka.Pipeline.Media.Speech;

/// <summary>
/// What every spoken sentence must be before it is used: audio at all, not silence, and not far shorter than its text
/// can be said in. A failed check fails the job with the reason: never a silent or cut-off video.
/// </summary>
public static class SpeechChecks
{
    /// <param name="rate">The voice's pace (options.voice.rate): a voice asked to go twice as fast may.</param>
    /// <returns>The sentence's length in seconds, which times its cue.</returns>
    public static double Verify(string wavPath, string text, SpeechCheckSettings settings, double rate = 1)
    {
        PcmWav wav;
        try
        {
            wav = PcmWav.Read(wavPath);
        }
        catch (InvalidDataException ex)
        {
            throw new SpeechRefusedException($"unreadable speech for {Quote(text)}: {ex.Message}");
        }
        var least = ShortestSeconds(text, settings) / rate;
        if (least == 0)
        {
            // Nothing in it is spoken (an emoji, a dash, "..."): a quiet or empty piece is right, and the script as a
            // whole has words (the API refuses one without), so some other piece is checked.
            return wav.Seconds;
        }
        if (wav.Samples.Length == 0)
        {
            throw new SpeechRefusedException($"the speech for {Quote(text)} is empty (no samples)");
        }
        var level = wav.RmsDb();
        if (level < settings.SilenceDb)
        {
            throw new SpeechRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"the speech for {Quote(text)} is silence ({(double.IsNegativeInfinity(level) ? "no signal" : $"{level:0} dBFS")}, below {settings.SilenceDb:0} dBFS)"));
        }
        if (wav.Seconds < least)
        {
            throw new SpeechRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"the speech for {Quote(text)} is too short: {wav.Seconds:0.00} s, when no voice says it in under {least:0.00} s"));
        }
        return wav.Seconds;
    }

    /// <summary>The least time any voice needs for the text: its alphabetic letters at the fastest letters-per-second,
    /// its CJK characters (each a syllable or more) at the fastest CJK rate. Digits count as letters; punctuation,
    /// symbols and emoji are not spoken and count nothing.</summary>
    public static double ShortestSeconds(string text, SpeechCheckSettings settings)
    {
        int letters = 0, cjk = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune.Value))
            {
                cjk++;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                letters++;
            }
        }
        return letters / settings.MaxLettersPerSecond + cjk / settings.MaxCjkPerSecond;
    }

    private static bool IsCjk(int c) =>
        c is >= 0x3040 and <= 0x30FF        // hiragana, katakana
            or >= 0x3400 and <= 0x4DBF      // CJK extension A
            or >= 0x4E00 and <= 0x9FFF      // CJK unified ideographs
            or >= 0xAC00 and <= 0xD7AF      // hangul syllables
            or >= 0xF900 and <= 0xFAFF      // compatibility ideographs
            or >= 0x20000 and <= 0x3134F;   // extensions B..G

    /// <summary>The sentence as a job's error shows it: quoted, at most 40 characters.</summary>
    public static string Quote(string text) => text.Length <= 40 ? $"\"{text}\"" : $"\"{text[..40]}…\"";
}
