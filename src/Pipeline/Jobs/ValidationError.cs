namespace VideoAkka.Pipeline.Jobs;

/// <summary>One reason a request was refused: the JSON path of the offending field and what is wrong with it.</summary>
public sealed record ValidationError(string Field, string Message);
