using VideoAkka.Host;

// `VideoAkka.Host`            runs the service until stopped (./videoakka up).
// `VideoAkka.Host demo FILE`  starts it, submits FILE over HTTP, follows the job and prints the video's path.
// `VideoAkka.Host submit FILE [--wait] [--url URL]`  a client of a running service (src/Host/Submit).
if (args.Length > 0 && args[0] == "submit")
{
    return await VideoAkka.Host.Submit.SubmitCommand.RunAsync(args[1..], CancellationToken.None);
}
try
{
    if (args.Length > 0 && args[0] == "demo")
    {
        return await DemoCommand.RunAsync(args.Length > 1 ? args[1] : "samples/demo.json");
    }
    await using var app = await VideoAkkaApp.BuildAsync(ServiceOptions.FromEnvironment(), args);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or NotSupportedException or IOException or InvalidOperationException)
{
    // A configuration mistake: say what to change, not where in our code it was noticed.
    Console.Error.WriteLine($"videoakka: {ex.Message}");
    return 2;
}
