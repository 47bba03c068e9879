using MiniCC.Callbacks;

namespace MiniCC.Pages.Callbacks;

/// <summary>Who said they dealt with a failed callback: the person, not MiniCC, ended it, so it is worth a line in the log.</summary>
internal static partial class CallbackLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{User} marked callback {CallbackId} handled on the Callbacks page: {Outcome}")]
    public static partial void Handled(ILogger logger, string user, long callbackId, HandledOutcome outcome);
}
