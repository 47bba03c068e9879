using System.Net;
using MiniCC.Voicemail;
using static MiniCC.Tests.Twilio;
using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Storage;

public sealed class SqliteVoicemailStoreTests() : VoicemailStoreTests("sqlite");

public sealed class MySqlVoicemailStoreTests() : VoicemailStoreTests("mysql");

public sealed class PostgresVoicemailStoreTests() : VoicemailStoreTests("postgres");

/// <summary>
/// The voicemails table on every database, from the webhooks over HTTP: whatever order Twilio's three requests are
/// stored in, the row ends the same; replays land once; "handled" keeps who was first.
/// </summary>
public abstract class VoicemailStoreTests(string provider) : ProviderTests(provider)
{
    private static readonly string[] Steps = ["prompt", "action", "status"];

    /// <summary>Every order of the three steps.</summary>
    private static IEnumerable<string[]> Orders() =>
        from a in Steps from b in Steps from c in Steps where a != b && b != c && a != c select new[] { a, b, c };

    private async Task StepAsync(string step, string call, string recording, string url)
    {
        switch (step)
        {
            case "prompt":
                await App.TwimlAsync("/voice/voicemail?reason=max-wait", Prompt(call));
                break;
            case "action":
                await App.TwimlAsync("/voice/voicemail-recorded?reason=max-wait", Action(call, url, 31));
                break;
            default:
                using (var response = await App.PostAsync("/voice/recording-status", Status(call, recording, url, seconds: 31)))
                {
                    Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                }

                break;
        }
    }

    [SkippableFact]
    public async Task WhateverOrderTheThreeRequestsArriveInTheRowIsComplete()
    {
        var calls = new List<(string Call, string Recording, string Order)>();
        foreach (var order in Orders())
        {
            var (call, recording) = (NewCallSid(), NewRecordingSid());
            var started = App.Clock.GetUtcNow();
            foreach (var step in order)
            {
                await StepAsync(step, call, recording, TwilioUrl(recording));
                App.Clock.Advance(TimeSpan.FromSeconds(40));
            }

            calls.Add((call, recording, string.Join(" → ", order)));
            App.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        foreach (var (call, recording, order) in calls)
        {
            var v = await App.VoicemailStore().FindAsync(call, default);
            Assert.True(v is not null, order);
            Assert.Equal((Customer, "max-wait", recording, TwilioUrl(recording), 31L, "completed", true),
                (v.FromNumber, v.Reason, v.RecordingSid, v.RecordingUrl, v.DurationSeconds, v.Status, v.Playable));
        }

        var listed = await App.VoicemailStore().NewestAsync(100, default);
        Assert.Equal(calls.Select(c => c.Call).Reverse(), listed.Select(v => v.CallSid));
    }

    [SkippableFact]
    public async Task ReplaysOfEveryRequestLandOnce()
    {
        var (call, recording) = (NewCallSid(), NewRecordingSid());
        var url = TwilioUrl(recording);
        foreach (var step in Steps)
        {
            await StepAsync(step, call, recording, url);
            App.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        var before = await App.VoicemailStore().FindAsync(call, default);
        var events = (await App.History.EventsAsync(default)).Count;
        App.Clock.Advance(TimeSpan.FromHours(1));
        foreach (var step in Steps.Reverse())
        {
            await StepAsync(step, call, recording, url);
        }

        Assert.Equal(before, await App.VoicemailStore().FindAsync(call, default));
        Assert.Equal(events, (await App.History.EventsAsync(default)).Count);
        Assert.Equal(["voicemail", "voicemail_recorded", "recording_status"], (await App.History.EventsAsync(default)).Select(e => e.Kind));
    }

    [SkippableFact]
    public async Task ASilentCallerIsListedAsAbsentWithNothingToPlayEvenWhenTheActionComesLater()
    {
        var (call, recording) = (NewCallSid(), NewRecordingSid());
        await App.TwimlAsync("/voice/voicemail?reason=closed", Prompt(call));
        using (var response = await App.PostAsync("/voice/recording-status", Status(call, recording, TwilioUrl(recording), "absent", 0)))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await App.TwimlAsync("/voice/voicemail-recorded?reason=closed", Action(call, TwilioUrl(recording), 0));
        var v = await App.VoicemailStore().FindAsync(call, default);
        Assert.Equal(("absent", 0L, false), (v!.Status, v.DurationSeconds, v.Playable));
    }

    [SkippableFact]
    public async Task AStatusAloneGivesARowThatThePromptAndActionCompleteLater()
    {
        var (call, recording) = (NewCallSid(), NewRecordingSid());
        var url = TwilioUrl(recording);
        await StepAsync("status", call, recording, url);
        var alone = await App.VoicemailStore().FindAsync(call, default);
        // The status callback carries no caller and no reason: they are unknown until the other requests are stored.
        Assert.Equal((null, null, "completed", true), (alone!.FromNumber, alone.Reason, alone.Status, alone.Playable));
        Assert.Equal(App.Clock.GetUtcNow().AddSeconds(-31).ToUnixTimeMilliseconds(), alone.RecordedAt);
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        await StepAsync("action", call, recording, url);
        await StepAsync("prompt", call, recording, url);
        var whole = await App.VoicemailStore().FindAsync(call, default);
        Assert.Equal((Customer, "max-wait", "completed"), (whole!.FromNumber, whole.Reason, whole.Status));
        Assert.Equal(alone.RecordedAt, whole.RecordedAt);
    }

    [SkippableFact]
    public async Task MarkingHandledKeepsWhoWasFirstAndWhen()
    {
        var call = await App.LeaveAsync();
        var store = App.VoicemailStore();
        var at = App.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(HandledMark.Marked, await store.MarkHandledAsync(call, "佐藤", default));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HandledMark.AlreadyHandled, await store.MarkHandledAsync(call, "suzuki", default));
        Assert.Equal(HandledMark.UnknownVoicemail, await store.MarkHandledAsync(NewCallSid(), "suzuki", default));
        var v = await store.FindAsync(call, default);
        Assert.Equal(("佐藤", (long?)at), (v!.HandledBy, v.HandledAt));
    }

    [SkippableFact]
    public async Task TheListIsNewestFirstAndLimited()
    {
        var calls = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            calls.Add(await App.LeaveAsync(from: "+8190000000" + i));
            App.Clock.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.Equal(Enumerable.Reverse(calls).Take(3), (await App.VoicemailStore().NewestAsync(3, default)).Select(v => v.CallSid));
        Assert.Equal(4, await App.VoicemailStore().CountAsync(default));
    }
}
