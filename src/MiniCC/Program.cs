using MiniCC.Cli;

// minicc [serve] [--urls …]   runs the web server (Twilio's webhooks);
// minicc <verb> …             runs a command-line verb (operators, migrate). See Cli/.
return await MiniCCCommands.RunAsync(args);

/// <summary>The entry point's type, for WebApplicationFactory.</summary>
public partial class Program;
