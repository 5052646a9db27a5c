namespace VideoAkka.Host;

/// <summary>
/// What the composition root creates and must close when the host stops: Redis connections, the webhook client,
/// the embedded redis-server. Registered before Akka, so it stops after the worker; closes in reverse order of
/// creation (the embedded server last).
/// </summary>
internal sealed class OwnedResources : IHostedService, IAsyncDisposable
{
    private readonly Stack<object> _owned = new();

    public T Own<T>(T resource) where T : class
    {
        _owned.Push(resource);
        return resource;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        while (_owned.TryPop(out var resource))
        {
            switch (resource)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
