using VideoAkka.Http;
using VideoAkka.Pipeline.Jobs;
using VideoAkka.Pipeline.Notify;

namespace VideoAkka.Host;

/// <summary>The API's outcomes go out through the process's webhook dispatch.</summary>
internal sealed class WebhookAnnouncer(WebhookDispatch dispatch) : IOutcomeAnnouncer
{
    public void Announce(JobRecord finished) => dispatch.Post(finished);
}
