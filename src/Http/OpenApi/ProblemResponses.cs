using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace VideoAkka.Http.OpenApi;

/// <summary>The problem types an endpoint can answer, as endpoint metadata: <see cref="ProblemResponsesTransformer"/>
/// turns them into one problem+json response per status, each naming its types.</summary>
public sealed record ProblemTypesMetadata(ImmutableArray<ProblemType> Types);

public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>Declares the problems a route (or every route of a group) can answer.</summary>
    public static TBuilder WithProblems<TBuilder>(this TBuilder builder, params ProblemType[] problems) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemTypesMetadata([.. problems]));
        foreach (var status in problems.Select(p => p.Status).Distinct())
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType]));
        }
        return builder;
    }
}
