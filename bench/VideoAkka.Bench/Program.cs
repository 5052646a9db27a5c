using VideoAkka.Bench;

// ./videoakka bench [submit|latency|input|pipeline|orchestration|scale|memory|gpu|chaos|postprod|all], profile (not in all: perf on the worker), or captions [folder] for the README's caption gallery
// Prints figures only; nothing here asserts a time (machines are shared and noisy). Compare within one run.
var which = args.Length > 0 ? args[0] : "all";
if (which == "captions")
{
    await CaptionGallery.RunAsync(args.Length > 1 ? args[1] : Path.Combine("docs", "gallery"));
    return 0;
}
if (which is "submit" or "all")
{
    await SubmitBench.RunAsync();
}
if (which is "latency" or "all")
{
    await LatencyBench.RunAsync();
}
if (which is "input" or "all")
{
    await InputBench.RunAsync();
}
if (which is "pipeline" or "all")
{
    await PipelineBench.RunAsync();
}
if (which is "orchestration" or "all")
{
    await OrchestrationBench.RunAsync();
}
if (which == "profile")
{
    await WorkerProfile.RunAsync();
}
if (which is "scale" or "all")
{
    await ScaleBench.RunAsync();
}
if (which is "memory" or "all")
{
    await MemoryBench.RunAsync();
}
if (which is "gpu" or "all")
{
    await GpuSaturationBench.RunAsync();
}
if (which is "chaos" or "all")
{
    await ChaosBench.RunAsync();
}
if (which is "postprod" or "all")
{
    await PostprodBench.RunAsync();
}
return 0;
