namespace VideoAkka.Host.Submit;

/// <summary>
/// What `./videoakka submit` exits with, so that a script can tell "a video failed" from "nothing was sent". When
/// several apply, the highest wins: an unreachable service hides every other outcome.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every job was accepted (and, with --wait, completed).</summary>
    public const int Success = 0;

    /// <summary>With --wait: at least one job failed or was cancelled.</summary>
    public const int JobFailed = 1;

    /// <summary>The command line or the file is wrong (no file, an unknown option, no job in the file).</summary>
    public const int Usage = 2;

    /// <summary>At least one job was refused: a line that is not JSON, or a 4xx answer from the API.</summary>
    public const int Refused = 3;

    /// <summary>The service could not be reached, or answered 5xx, or was lost for too long while waiting.</summary>
    public const int Unreachable = 4;

    /// <summary>Ctrl-C while waiting: the jobs go on running on the service (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
