namespace VideoAkka.Pipeline.Jobs;

/// <summary>The output shapes a request may ask for; the pixel size of each is a render setting.</summary>
public enum AspectRatio
{
    /// <summary>9:16, the default: 1080x1920 unless configured otherwise.</summary>
    Portrait,
    /// <summary>16:9: 1920x1080 unless configured otherwise.</summary>
    Landscape,
    /// <summary>1:1: 1080x1080 unless configured otherwise.</summary>
    Square,
}

public static class AspectRatioNames
{
    public static string ToWire(this AspectRatio aspect) => aspect switch
    {
        AspectRatio.Portrait => "9:16",
        AspectRatio.Landscape => "16:9",
        AspectRatio.Square => "1:1",
        _ => throw new ArgumentOutOfRangeException(nameof(aspect), aspect, null),
    };

    public static bool TryParse(string? text, out AspectRatio aspect)
    {
        switch (text)
        {
            case "9:16": aspect = AspectRatio.Portrait; return true;
            case "16:9": aspect = AspectRatio.Landscape; return true;
            case "1:1": aspect = AspectRatio.Square; return true;
            default: aspect = default; return false;
        }
    }
}
