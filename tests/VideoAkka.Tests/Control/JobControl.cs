using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using VideoAkka.Tests.Support;

namespace VideoAkka.Tests.Control;

/// <summary>What the cancel and retry specs share: the two endpoints over real HTTP.</summary>
public static class JobControl
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(ServiceUnderTest service, string action, string jobId)
    {
        using var response = await service.Http.PostAsync($"/orchestrate/{action}/{jobId}", content: null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Waits for a status the spec names (StatusAsync's own wait stops at completed or failed only).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(ServiceUnderTest service, string jobId, string status) =>
        (await Eventually.WaitForAsync<StrongBox<JsonElement>>(async () =>
        {
            var record = await service.StatusAsync(jobId);
            return record.GetProperty("status").GetString() == status ? new StrongBox<JsonElement>(record) : null;
        }, $"job {jobId} to be {status}")).Value;
}
