namespace MiniCC.Cli;

/// <summary>How verbs report: a result on standard output (exit 0), or "minicc: reason" on standard error (exit 1).</summary>
internal static class CliOutput
{
    public static int Ok(string message)
    {
        Console.WriteLine(message);
        return 0;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine("minicc: " + message);
        return 1;
    }
}
