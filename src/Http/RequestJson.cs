using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VideoAkka.Http;

/// <summary>
/// Parses a job body, after one forward pass over it that refuses malformed JSON and bodies with more values than a
/// job can hold. A job is a script, a few options and at most 100 scenes: some hundreds of values. A 1 MiB body of
/// empty arrays holds some 350 000, and building a document of them, checking it and storing it again cost over
/// 100 ms of CPU a request; the pass costs a few and allocates nothing.
/// </summary>
internal static class RequestJson
{
    /// <summary>Strings, numbers, literals, arrays and objects together; generous for extra fields a client sends along.</summary>
    public const int MaxValues = 10_000;

    public const int MaxDepth = 32;

    /// <summary>A duplicated property is refused rather than read as its last value: a proxy or n8n node that reads the
    /// first would check a different request than the one we run.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <returns>The document, or null with the problem to answer.</returns>
    public static JsonDocument? Parse(byte[] body, out ProblemHttpResult? refusal)
    {
        try
        {
            var values = CountValues(body);
            if (values > MaxValues)
            {
                refusal = Problems.TooManyValues(MaxValues);
                return null;
            }
            refusal = null;
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            refusal = Problems.MalformedJson(ex.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-property check reads every name, and a lone surrogate escape in one ("\ud800") throws there.
            refusal = Problems.MalformedJson("A property name is not valid Unicode (a lone surrogate escape).");
            return null;
        }
    }

    /// <summary>Counts the values up to one past the limit (it stops there), validating the JSON as it goes.</summary>
    private static int CountValues(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        var values = 0;
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndArray or JsonTokenType.EndObject or JsonTokenType.Comment)
                && ++values > MaxValues)
            {
                return values;
            }
        }
        return values;
    }
}
