using Microsoft.AspNetCore.Http;

namespace VideoAkka.Http;

/// <summary>
/// A 200 whose body is JSON already encoded as UTF-8 (a record as Redis holds it): written as it is, with the same
/// headers as <c>TypedResults.Text(json, "application/json")</c>, without decoding it to a string and encoding it back.
/// </summary>
public sealed class Utf8JsonResult(byte[] json) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, httpContext.RequestAborted).AsTask();
    }
}
