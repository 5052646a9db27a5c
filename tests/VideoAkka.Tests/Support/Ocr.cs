using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace VideoAkka.Tests.Support;

/// <summary>Reads text back from pixels with tesseract (Debian's tesseract-ocr and its tesseract-ocr-LANG data).</summary>
public static class Ocr
{
    /// <summary>The text tesseract reads in an image, with a language's trained data (chi_sim, jpn, ara, hin, rus, eng).</summary>
    public static async Task<string> ReadAsync(string imagePath, string language)
    {
        var result = await Cli.Wrap("tesseract")
            .WithArguments([imagePath, "-", "-l", language, "--psm", "6"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        Assert.True(result.ExitCode == 0, $"tesseract -l {language} failed: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Writes the frame at <paramref name="seconds"/> of a video as a PNG, keeping the rows from
    /// <paramref name="fromHeight"/> (a fraction of the height) down.</summary>
    public static async Task<string> FrameAsync(string videoPath, double seconds, double fromHeight, string pngPath)
    {
        var crop = string.Create(CultureInfo.InvariantCulture, $"crop=iw:ih*{1 - fromHeight:0.###}:0:ih*{fromHeight:0.###}");
        await Cli.Wrap("ffmpeg")
            .WithArguments(["-v", "error", "-y", "-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", videoPath,
                "-frames:v", "1", "-vf", crop, pngPath])
            .ExecuteAsync();
        return pngPath;
    }

    /// <summary>How many of the expected text's characters (letters, marks and digits: not spaces or punctuation,
    /// which OCR reads loosely) the read text holds, compared as multisets, so reading order (right to left, or a
    /// line broken elsewhere) does not matter.</summary>
    public static (int Found, int Total) CharactersFound(string expected, string read)
    {
        var available = Characters(read).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var wanted = Characters(expected).ToList();
        var found = 0;
        foreach (var rune in wanted)
        {
            if (available.GetValueOrDefault(rune) > 0)
            {
                available[rune]--;
                found++;
            }
        }
        return (found, wanted.Count);
    }

    private static IEnumerable<Rune> Characters(string text) => text.EnumerateRunes().Where(r =>
        Rune.IsLetterOrDigit(r) || Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark);
}
