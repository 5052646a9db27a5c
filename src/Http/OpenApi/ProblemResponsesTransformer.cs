using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// Writes, into each problem response of an operation, which problem types it stands for and what each means (in the
/// description, for people, and as <c>x-problem-types</c>, for tools), from the endpoint's <see cref="ProblemTypesMetadata"/>.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public const string Extension = "x-problem-types";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var problems = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemTypesMetadata>()
            .SelectMany(m => m.Types).Distinct().ToArray();
        if (problems.Length == 0 || operation.Responses is null)
        {
            return Task.CompletedTask;
        }
        foreach (var group in problems.GroupBy(p => p.Status))
        {
            var key = group.Key.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var response) && response is OpenApiResponse editable)
            {
                var text = new StringBuilder("A problem (RFC 7807) of one of these types:\n");
                foreach (var problem in group)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n- [`{problem.Name}`]({problem.Uri}) ({problem.Title}): {problem.Meaning}");
                }
                editable.Description = text.ToString();
                editable.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                editable.Extensions[Extension] = new JsonNodeExtension(new JsonArray([.. group.Select(p => JsonValue.Create(p.Uri))]));
            }
        }
        return Task.CompletedTask;
    }
}
