using MiniCC.Twilio.TwiML;

namespace MiniCC.Voice;

internal static class TwimlResult
{
    public const string ContentType = "application/xml; charset=utf-8";

    public static IResult From(VoiceResponse response) => Results.Content(response.ToString(), ContentType);
}
