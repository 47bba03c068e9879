using Microsoft.Extensions.DependencyInjection;
using MiniCC.Desk;
using MiniCC.Reports;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteDispositionStoreTests() : DispositionStoreTests("sqlite");

public sealed class MySqlDispositionStoreTests() : DispositionStoreTests("mysql");

public sealed class PostgresDispositionStoreTests() : DispositionStoreTests("postgres");

/// <summary>A call's disposition and note on every database: who may set it, that setting it again replaces it, and the report's counts.</summary>
public abstract class DispositionStoreTests(string provider) : ProviderTests(provider)
{
    private DispositionStore Store => App.Services.GetRequiredService<DispositionStore>();

    [SkippableFact]
    public async Task TheOperatorWhoAnsweredACallSavesItsDispositionAndNoteWithTheVisitsEntryTime()
    {
        var (op, leg) = await App.OperatorInLoopAsync();
        var entered = App.Clock.GetUtcNow();
        var call = await App.AnsweredByAsync(leg, waitSeconds: 25);
        App.Clock.Advance(TimeSpan.FromSeconds(40));

        // Japanese, line breaks, and a character outside the BMP (four bytes in UTF-8), at the longest a note may be.
        const string Head = "折り返し希望。\n明日10時以降🙂";
        var note = Head + new string('あ', DispositionStore.MaxNoteLength - Head.EnumerateRunes().Count());
        Assert.Equal(DispositionStore.MaxNoteLength, note.EnumerateRunes().Count());
        Assert.Equal(DispositionSaved.Saved, await Store.SaveAsync(call, op, "follow-up", note, default));

        var saved = await Store.FindAsync(call, default);
        Assert.NotNull(saved);
        Assert.Equal(call, saved.CallSid);
        Assert.Equal("follow-up", saved.Disposition);
        Assert.Equal(note, saved.Note);
        Assert.Equal(op, saved.OperatorId);
        Assert.Equal(App.Clock.GetUtcNow().ToUnixTimeMilliseconds(), saved.SetAt);
        Assert.Equal(entered.ToUnixTimeMilliseconds(), saved.EnteredAt);
        Assert.Equal("MiniCC", saved.QueueName);
    }

    [SkippableFact]
    public async Task SavingAgainReplacesTheDispositionTheNoteAndTheTime()
    {
        var (op, leg) = await App.OperatorInLoopAsync();
        var call = await App.AnsweredByAsync(leg);
        Assert.Equal(DispositionSaved.Saved, await Store.SaveAsync(call, op, "complaint", "first words", default));
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(DispositionSaved.Saved, await Store.SaveAsync(call, op, "resolved", null, default));

        var saved = await Store.FindAsync(call, default);
        Assert.Equal("resolved", saved!.Disposition);
        Assert.Null(saved.Note);
        Assert.Equal(App.Clock.GetUtcNow().ToUnixTimeMilliseconds(), saved.SetAt);
        Assert.Equal(1, (await ReportAsync()).Sum(d => d.Calls));
    }

    [SkippableFact]
    public async Task OnlyTheOperatorWhoAnsweredMaySaveAndAnUnknownCallIsSaidToBeUnknown()
    {
        var (sato, satoLeg) = await App.OperatorInLoopAsync();
        var (suzuki, suzukiLeg) = await App.OperatorInLoopAsync(SecondOperatorPhone, "鈴木");
        var satos = await App.AnsweredByAsync(satoLeg);
        var abandoned = await App.AbandonedAsync();

        Assert.Equal(DispositionSaved.NotTheirCall, await Store.SaveAsync(satos, suzuki, "resolved", null, default));
        // Nobody answered an abandoned call, and an operator's own leg is no customer's call.
        Assert.Equal(DispositionSaved.NotTheirCall, await Store.SaveAsync(abandoned, sato, "resolved", null, default));
        Assert.Equal(DispositionSaved.NotTheirCall, await Store.SaveAsync(suzukiLeg, suzuki, "resolved", null, default));
        Assert.Equal(DispositionSaved.UnknownCall, await Store.SaveAsync("CA" + new string('9', 32), sato, "resolved", null, default));
        foreach (var call in new[] { satos, abandoned, suzukiLeg })
        {
            Assert.Null(await Store.FindAsync(call, default));
        }
    }

    [SkippableFact]
    public async Task TheReportCountsCallsPerDispositionByTheTimeTheyEnteredTheQueue()
    {
        var (op, leg) = await App.OperatorInLoopAsync();
        var first = await App.AnsweredByAsync(leg);
        var second = await App.AnsweredByAsync(leg);
        var third = await App.AnsweredByAsync(leg);
        var boundary = App.Clock.GetUtcNow();
        App.Clock.Advance(TimeSpan.FromHours(1));
        var later = await App.AnsweredByAsync(leg);
        foreach (var (call, key) in new[] { (first, "resolved"), (second, "complaint"), (third, "resolved"), (later, "wrong-number") })
        {
            Assert.Equal(DispositionSaved.Saved, await Store.SaveAsync(call, op, key, null, default));
        }

        Assert.Equal([new("resolved", 2), new("complaint", 1), new("wrong-number", 1)], await ReportAsync());
        // Saved after the first hour ended, the first three still count in it: they entered the queue in it.
        Assert.Equal([new("resolved", 2), new("complaint", 1)], await ReportAsync(to: boundary));
        Assert.Equal([new("wrong-number", 1)], await ReportAsync(from: boundary));
        Assert.Empty(await ReportAsync(queue: "another-queue"));
        Assert.Equal(4, (await ReportAsync(queue: "MiniCC")).Sum(d => d.Calls));
    }

    private async Task<IReadOnlyList<DispositionCount>> ReportAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, string? queue = null)
    {
        var report = await App.Services.GetRequiredService<ReportQuery>().RunAsync(from ?? MiniCCFactory.Start, to ?? MiniCCFactory.Start.AddDays(1), 30,
            queue, ReportSource.Rollups, ReportParts.Dispositions, default);
        return report.Dispositions;
    }
}
