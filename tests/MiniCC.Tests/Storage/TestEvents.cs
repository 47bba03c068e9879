using MiniCC.Storage;
using MiniCC.Twilio.Webhooks;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

/// <summary>Events as the call flows record them, built by hand for tests that store them in an order of their own.</summary>
public static class TestEvents
{
    /// <summary>An event of <paramref name="kind"/> (the event log's name) for call <paramref name="sid"/>, <paramref name="second"/>s after the test's start.</summary>
    public static HistoryEvent Event(string kind, string sid, int second, string from = Customer, (string, string)[]? extra = null,
        long? operatorId = null, string? choice = null)
    {
        var hook = VoiceWebhook.Parse(Call(sid, from: from, extra: extra ?? [])
            .Select(p => KeyValuePair.Create(p.Item1, (IReadOnlyList<string?>)[p.Item2]))).Webhook!;
        var at = MiniCCFactory.Start.AddSeconds(second).ToUnixTimeMilliseconds();
        var id = Guid.NewGuid().ToString("N");
        return kind switch
        {
            "incoming" => new Incoming { Hook = hook, At = at, Id = id, OperatorId = operatorId },
            "sign_in" => new SignIn { Hook = hook, At = at, Id = id, OperatorId = operatorId!.Value, OperatorPhone = OperatorPhone },
            "ivr" => new MenuChoice { Hook = hook, At = at, Id = id, Choice = choice! },
            "waiting" => new Waiting { Hook = hook, At = at, Id = id, Queue = "MiniCC" },
            "pickup" => new Pickup { Hook = hook, At = at, Id = id, Queue = "MiniCC" },
            "queue_exit" => new QueueExit { Hook = hook, At = at, Id = id, Queue = "MiniCC" },
            "call_end" => new CallEnd { Hook = hook, At = at, Id = id },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an event kind"),
        };
    }
}
