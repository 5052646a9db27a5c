using System.Net;
using System.Text;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using VideoAkka.Host;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>VIDEOAKKA_ROLE through the app: an API process takes jobs in and works none; a worker process works the
/// queue and answers only health checks.</summary>
public sealed class ServiceRoleSpecs
{
    [Fact]
    public async Task An_api_process_queues_a_job_and_takes_none_so_a_worker_on_the_same_redis_completes_it()
    {
        await using var api = await ServiceUnderTest.StartAsync(role: ServiceRole.Api);

        var jobId = await api.SubmitAsync(JobBodies.Simple("api-role", scenes: 1));

        Assert.Null(api.Services.GetService<ActorSystem>());
        Assert.Equal("queued", (await api.StatusAsync(jobId)).GetProperty("status").GetString());
        Assert.Equal([jobId], (await api.Redis.Db.ListRangeAsync("video_orchestrator:queue")).Select(id => id.ToString()));
        Assert.Equal(0, await api.Redis.Db.SetLengthAsync("video_orchestrator:workers"));

        await using var worker = await ServiceUnderTest.StartAsync(role: ServiceRole.Worker, redis: api.Redis, dataRoot: api.DataRoot);
        Assert.Equal("completed", (await api.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_worker_process_answers_health_checks_and_serves_no_orchestrate_route()
    {
        await using var worker = await ServiceUnderTest.StartAsync(role: ServiceRole.Worker);

        using var live = await worker.Http.GetAsync("/healthz/live");
        using var ready = await worker.Http.GetAsync("/healthz/ready");
        using var start = await worker.Http.PostAsync("/orchestrate/start",
            new StringContent(JobBodies.Simple("worker-role", scenes: 1), Encoding.UTF8, "application/json"));
        using var jobs = await worker.Http.GetAsync("/orchestrate/jobs");

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound),
            (live.StatusCode, ready.StatusCode, start.StatusCode, jobs.StatusCode));
        Assert.Equal(0, await worker.Redis.Db.ListLengthAsync("video_orchestrator:queue"));
    }
}
