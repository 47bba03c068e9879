namespace MiniCC.Pages.Operators;

/// <summary>Who made which user an operator, from the Operators page: a change of who may take calls is worth a line in the log.</summary>
internal static partial class UserLinkLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} linked user {User} to operator {Phone} on the Operators page")]
    public static partial void Linked(ILogger logger, string actor, string user, string phone);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} unlinked user {User} from its operator on the Operators page")]
    public static partial void Unlinked(ILogger logger, string actor, string user);
}
