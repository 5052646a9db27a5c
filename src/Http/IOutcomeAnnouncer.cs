using VideoAkka.Pipeline.Jobs;

namespace VideoAkka.Http;

/// <summary>Where the API hands an outcome it decided itself (a queued job cancelled): its webhook is sent from there,
/// never while the request waits.</summary>
public interface IOutcomeAnnouncer
{
    void Announce(JobRecord finished);
}
