namespace VideoAkka.Pipeline.Jobs;

/// <summary>The values of a job record's "stage" field. They match the stage names of config/akka.hocon.</summary>
public static class JobStages
{
    public const string Queued = "queued";
    public const string Preparing = "preparing";
    public const string ImageGen = "image-gen";
    public const string VideoGen = "video-gen";
    public const string Tts = "tts";
    public const string Subtitle = "subtitle";
    public const string Stitch = "stitch";
    /// <summary>Quality control of the finished render, before the job is completed.</summary>
    public const string Qc = "qc";
    public const string Done = "done";
}
