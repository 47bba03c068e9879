using System.Globalization;
using MiniCC.Hours;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>A customer who calls while the center is closed (<c>MiniCC:Hours</c>).</summary>
public sealed partial class CallFlow
{
    /// <summary>
    /// The closed message (or its audio), the next opening as a person says it, then a voicemail (or, without one, a goodbye). Recorded as the menu choice
    /// <c>closed</c>, so that the call's row and the reports tell it from a caller who chose nothing.
    /// </summary>
    private async Task<VoiceResponse> ClosedAsync(VoiceResponse r, VoiceWebhook hook, CancellationToken ct)
    {
        await recorder.RecordAsync(new MenuChoice { Hook = hook, At = Now, Id = IdFor(hook), Choice = ClosedChoice });
        if (hours.ClosedAudioUrl is not { } audio)
        {
            r.Say(_p.Closed, _p.Voice, _p.Language);
        }
        else
        {
            r.Play(audio);
        }

        var now = time.GetUtcNow();
        if (hours.NextOpening(now) is { } opening)
        {
            var spoken = SpokenOpening.Say(opening, now, hours.Zone, _p.Language);
            r.Say(string.Format(CultureInfo.InvariantCulture, _p.NextOpening, spoken), _p.Voice, _p.Language);
        }

        // The caller may leave a message (the voicemail prompt says how, and that hanging up is fine).
        return VoicemailEnabled
            ? r.Redirect(Url(VoiceRoutes.Voicemail) + "?reason=closed", "POST")
            : r.Say(_p.ThankYou, _p.Voice, _p.Language).Hangup();
    }

    /// <summary>The menu choice (calls.ivr_choice) of a call that came in while closed.</summary>
    public const string ClosedChoice = "closed";
}
