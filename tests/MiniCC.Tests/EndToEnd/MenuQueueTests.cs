using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Reports;
using MiniCC.Tests.Pages;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteMenuQueueTests() : MenuQueueTests("sqlite");

public sealed class MySqlMenuQueueTests() : MenuQueueTests("mysql");

public sealed class PostgresMenuQueueTests() : MenuQueueTests("postgres");

/// <summary>
/// A center's own three-level menu (a file) and three queues, driven through the emulator as call scripts: by key and by
/// speech, with a wrong key, silence and speech Twilio is not sure of; a caller who chose "existing order" (the priority
/// queue) served before earlier ordinary callers; an operator who serves only the English queue never given another's caller.
/// </summary>
public abstract class MenuQueueTests(string provider) : IDisposable
{
    private const string Sato = "+819010000001";
    private const string Smith = "+819010000002";

    private const string Menu = """
        {
          // Level 1: the language.
          "Start": "start",
          "Nodes": {
            "start": { "Type": "hours", "Open": "who", "Closed": "closed" },
            // The VIP list: straight to the priority queue, no menu.
            "who": { "Type": "caller", "Numbers": [ "+819020000009" ], "Listed": "vip", "Others": "lang" },
            "closed": { "Type": "closed" },
            "lang": {
              "Type": "menu",
              "Greeting": [ { "Prompt": "Welcome" } ],
              "Say": [ { "Ja": "日本語は1を、For English, press 2.", "En": "日本語は1を、For English, press 2." } ],
              "Options": [ { "Key": "1", "Next": "ja", "Choice": "ja" }, { "Key": "2", "Next": "en", "Choice": "en" } ],
              "NoInput": "ja"
            },
            "ja": { "Type": "language", "Language": "ja-JP", "Next": "main" },
            "en": { "Type": "language", "Language": "en-US", "Next": "english" },
            // Level 2: what the call is about, by key or in words.
            "main": {
              "Type": "menu",
              "Say": [ { "Ja": "ご注文は1を、そのほかは2を押すか、ご用件をおっしゃってください。", "En": "For orders press 1, for anything else press 2, or say what you need." } ],
              "Retry": [ { "Prompt": "Retry" } ],
              "Options": [
                { "Key": "1", "Next": "orders", "Choice": "orders", "Words": { "ja-JP": [ "注文" ], "en-US": [ "order" ] } },
                { "Key": "2", "Next": "support", "Choice": "other", "Words": { "ja-JP": [ "その他" ], "en-US": [ "other" ] } }
              ],
              "Speech": true,
              "MinConfidence": 0.5,
              "NoInput": "support"
            },
            // Level 3: a new order, or an existing one (served first).
            "orders": {
              "Type": "menu",
              "Say": [ { "Ja": "新しいご注文は1を、ご注文済みの方は2を押してください。", "En": "For a new order press 1, for an existing order press 2." } ],
              "Retry": [ { "Prompt": "Retry" } ],
              "Options": [
                { "Key": "1", "Next": "support", "Choice": "new-order" },
                { "Key": "2", "Next": "vip", "Choice": "existing-order" }
              ],
              "NoInput": "support"
            },
            "support": { "Type": "queue", "Queue": "support", "Say": [ { "Prompt": "Connecting" } ] },
            "vip": { "Type": "queue", "Queue": "vip", "Say": [ { "Prompt": "Connecting" } ] },
            "english": { "Type": "queue", "Queue": "english", "Say": [ { "En": "Connecting you to our English-speaking team.", "Ja": "英語担当におつなぎします。" } ] }
          }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-menu-").FullName;

    private CallCenter? _center;

    /// <summary>What the menu's keys and words mean, written down as the caller sees the menu: the emulator's ground truth of each call's choice.</summary>
    private static readonly MenuMeaning Meaning = new()
    {
        Choices = new Dictionary<string, string> { ["1"] = "ja", ["2"] = "en" },
        Nodes = new Dictionary<string, MenuMeaning>
        {
            ["main"] = new()
            {
                Choices = new Dictionary<string, string> { ["1"] = "orders", ["2"] = "other" },
                Words = new Dictionary<string, string> { ["注文"] = "orders", ["その他"] = "other", ["order"] = "orders", ["other"] = "other" },
            },
            ["orders"] = new() { Choices = new Dictionary<string, string> { ["1"] = "new-order", ["2"] = "existing-order" } },
        },
    };

    private CallCenter Center => _center ??= CallCenter.Open(provider, emulator: o => o with { Menu = Meaning }, settings: new()
    {
        ["MiniCC:Menu:File"] = WriteMenu(),
        ["MiniCC:Queues:0:Name"] = "support",
        ["MiniCC:Queues:1:Name"] = "english",
        ["MiniCC:Queues:1:Announcement:0:Ja"] = "英語担当の窓口です。",
        ["MiniCC:Queues:1:Announcement:0:En"] = "You are waiting for our English-speaking team.",
        ["MiniCC:Queues:2:Name"] = "vip",
        ["MiniCC:Queues:2:Priority"] = "10",
        ["MiniCC:Queues:2:Record"] = "true",
        ["MiniCC:Queues:2:ServiceLevelSeconds"] = "10",
        ["MiniCC:Queues:2:ServiceLevelTargetPercent"] = "90",
        ["MiniCC:Queues:0:ServiceLevelSeconds"] = "60",
        ["MiniCC:Recordings:RetentionDays"] = "1",
        ["MiniCC:OperatorStates:WrapUpSeconds"] = "0",
    });

    private TwilioEmulator Twilio => Center.Twilio;

    public void Dispose()
    {
        _center?.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string WriteMenu()
    {
        var path = Path.Combine(_directory, "menu.json");
        File.WriteAllText(path, Menu);
        return path;
    }

    private async Task SkillsAsync(string phone, params Skill[] skills)
    {
        await Center.AddOperatorAsync(phone, phone == Sato ? "Sato" : "Smith");
        var op = await Center.App.Operators.FindAsync(phone, default);
        await Center.App.Services.GetRequiredService<OperatorSkills>().SetAsync(op!.Id, skills, default);
    }

    /// <summary>A caller who presses <paramref name="keys"/>, one per menu, three seconds apart; then <paramref name="settle"/> passes.</summary>
    private async Task<EmulatedCall> CallAsync(string from, TimeSpan settle, params string[] keys)
    {
        var call = await Twilio.DialAsync(from);
        for (var i = 0; i < keys.Length; i++)
        {
            await call.PressAsync(keys[i]);
            await Twilio.AdvanceAsync(i < keys.Length - 1 ? TimeSpan.FromSeconds(3) : settle);
        }

        return call;
    }

    /// <summary>Sato (support and the priority queue) calls in, and a first caller ("something else": support) takes him, so that the next ones wait.</summary>
    private async Task<(EmulatedCall Sato, EmulatedCall First)> SatoTakesAFirstCallerAsync()
    {
        await SkillsAsync(Sato, new Skill("support", 5), new Skill("vip", 5));
        var sato = await Twilio.DialAsync(Sato);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var first = await CallAsync("+819020000000", TimeSpan.FromSeconds(20), "1", "2");
        Assert.Same(sato, first.ConnectedTo);
        return (sato, first);
    }

    private Task<string?> ChoiceAsync(EmulatedCall call) =>
        Center.App.Database.ReadAsync(c => c.QuerySingleAsync<string?>("SELECT ivr_choice FROM calls WHERE call_sid = @sid", new { sid = call.CallSid }), default);

    private Task<string> QueueAsync(EmulatedCall call) =>
        Center.App.Database.ReadAsync(async c => (await c.QuerySingleAsync<string>("SELECT queue_name FROM queue_visits WHERE call_sid = @sid", new { sid = call.CallSid })).Trim(), default);

    [SkippableFact]
    public async Task ACallerOnTheVipListSkipsTheMenuAndIsServedBeforeAnEarlierCaller()
    {
        var (sato, first) = await SatoTakesAFirstCallerAsync();
        var ordinary = await CallAsync("+819020000001", TimeSpan.FromSeconds(30), "1", "2");
        var vip = await Twilio.DialAsync("+819020000009");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(CallState.InQueue, vip.State);
        Assert.DoesNotContain(vip.Heard, h => h.Contains("For English", StringComparison.Ordinal));

        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(sato, vip.ConnectedTo);
        Assert.Equal(CallState.InQueue, ordinary.State);
        Assert.Equal("vip", await QueueAsync(vip));

        // The priority queue records: its caller heard so before being queued, the ordinary one did not; the
        // conversation's recording (dual channel, as long as the talk) is stored with the VIP's call.
        Assert.Contains("サービス向上のため、この通話は録音させていただきます。", vip.Heard);
        Assert.DoesNotContain("サービス向上のため、この通話は録音させていただきます。", ordinary.Heard);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(42));
        await vip.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var recording = Assert.Single(Twilio.Recordings.Values);
        var stored = await Center.App.Database.ReadAsync(c => c.QuerySingleAsync<(string, string, string, long, long, string, string)>(
            "SELECT recording_sid, operator_call_sid, call_sid, duration_seconds, channels, status, queue_name FROM call_recordings"), default);
        Assert.Equal((recording.Sid, sato.CallSid, vip.CallSid, (long)recording.DurationSeconds, 2L, "completed", "vip"),
            (stored.Item1, stored.Item2, stored.Item3.Trim(), stored.Item4, stored.Item5, stored.Item6, stored.Item7.Trim()));
        Assert.InRange(recording.DurationSeconds, 50, 70);
        Assert.Empty(Twilio.ApplicationErrors);

        // The call's page lists it (its player reads it through MiniCC) until MiniCC:Recordings:RetentionDays have passed.
        using var browser = await PageClient.SignedInAsync(Center.App);
        var page = $"/calls/{vip.CallSid}";
        Assert.Contains($"<audio controls preload=\"none\" src=\"/calls/{vip.CallSid}/recordings/{recording.Sid}/audio\"", await browser.PageAsync(page), StringComparison.Ordinal);
        await ordinary.HangUpAsync();
        await sato.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        using var later = await PageClient.SignedInAsync(Center.App); // a day on, the sign-in has expired
        Assert.DoesNotContain("id=\"recordings\"", await later.PageAsync(page), StringComparison.Ordinal);
        using var gone = await later.GetAsync(new Uri($"/calls/{vip.CallSid}/recordings/{recording.Sid}/audio", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [SkippableFact]
    public async Task ASimulatedHourThroughTheMenuIsReportedPerQueueAsTheGroundTruthSaysIt()
    {
        // Three Japanese-speaking operators for support and the priority queue, one for English alone.
        for (var i = 1; i <= 4; i++)
        {
            var phone = Scenario.OperatorPhone(i);
            await Center.AddOperatorAsync(phone, $"Op {i}");
            var op = await Center.App.Operators.FindAsync(phone, default);
            Skill[] skills = i < 4 ? [new("support", 5), new("vip", 5)] : [new("english", 5)];
            await Center.App.Services.GetRequiredService<OperatorSkills>().SetAsync(op!.Id, skills, default);
        }

        var scenario = new Scenario
        {
            Duration = TimeSpan.FromHours(1),
            ArrivalsPerHour = 120,
            Operators = 4,
            MeanTalk = TimeSpan.FromMinutes(2),
            MeanPatience = TimeSpan.FromSeconds(120),
            MenuPaths =
            [
                new(["1", "1", "1"], 0.30),            // a new order: support
                new(["1", "1", "2"], 0.15),            // an existing order: the priority queue
                new(["1", "say:ご注文です", "2"], 0.10), // the same, said
                new(["1", "say:その他です"], 0.10),      // something else, said: support
                new(["1", "9", "2"], 0.10),            // a wrong key, then something else: support
                new(["2"], 0.20),                      // English
            ],
        };
        var truth = await Simulation.RunAsync(Twilio, scenario);
        Assert.Empty(Twilio.ApplicationErrors);

        var reports = Center.App.Services.GetRequiredService<ReportQuery>();
        var (from, to) = (Twilio.Options.Start.AddHours(-1), Twilio.Now.AddHours(1));
        foreach (var queue in new[] { "support", "vip", "english" })
        {
            var expected = Twilio.SummaryOf(queue);
            Assert.True(expected.Offered > 5, $"{queue}: offered {expected.Offered}");
            var r = (await reports.RunAsync(from, to, 30, queue, ReportSource.Rollups, default)).Totals;
            Assert.Equal((queue, expected.Offered, expected.Answered, expected.Abandoned, expected.ShortAbandoned, expected.OtherExits),
                (queue, (int)r.Offered, (int)r.Answered, (int)r.Abandoned, (int)r.ShortAbandoned, (int)r.OtherExits));
            Assert.Equal(expected.AverageSpeedOfAnswerSeconds, r.AverageSpeedOfAnswerSeconds);
            Assert.Equal(expected.AverageTalkSeconds, r.AverageTalkSeconds);
        }

        var center = await reports.RunAsync(from, to, 30, null, ReportSource.Rollups, default);
        var all = center.Totals;
        Assert.Equal((truth.Offered, truth.Answered, truth.Abandoned), ((int)all.Offered, (int)all.Answered, (int)all.Abandoned));

        // The menu's choices by name, as the callers made them (the last choice of each call).
        var choices = Twilio.Truth.Where(t => !t.IsOperator && t.IvrChoice is not null).GroupBy(t => t.IvrChoice!)
            .ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(["existing-order", "new-order", "other"], choices.Keys.Where(k => k is not ("en" or "invalid" or "no-input")).Order());
        Assert.Equal(choices, center.Ivr.Choices.ToDictionary(c => c.Choice, c => c.Calls));
        await EachQueueHasItsOwnServiceLevelAsync(reports, from, to);

        // The History page and its CSV, of one queue: the same numbers.
        using var browser = await PageClient.SignedInAsync(Center.App);
        var day = Twilio.Options.Start.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var vip = Twilio.SummaryOf("vip");
        var history = await browser.PageAsync($"/history?from={day}&to={day}&queue=vip");
        Assert.Matches($@"data-metric=""offered"">\s*<div class=""label"">[^<]*</div>\s*<div class=""value"">{vip.Offered}</div>", history);
        Assert.Contains($"/csv/days.csv?from={day}&to={day}&interval=30&queue=vip", history, StringComparison.Ordinal);
        Assert.Contains($"<td data-choice=\"existing-order\">{center.Ivr.Choices.Single(c => c.Choice == "existing-order").Calls}</td>", history, StringComparison.Ordinal);
        var menu = await browser.GetStringAsync(new Uri($"/csv/menu.csv?from={day}&to={day}", UriKind.Relative));
        Assert.Contains($"\r\nnew-order,{center.Ivr.Choices.Single(c => c.Choice == "new-order").Calls}\r\n", menu, StringComparison.Ordinal);
        var days = (await browser.GetStringAsync(new Uri($"/csv/days.csv?from={day}&to={day}&queue=vip", UriKind.Relative))).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(vip.Offered.ToString(System.Globalization.CultureInfo.InvariantCulture), days[1].Split(',')[1]);

        // The English operator took English callers only; the priority queue waited least.
        var english = Scenario.OperatorPhone(4);
        Assert.All(Twilio.Truth.Where(t => t.AnsweredBy == english), t => Assert.Equal("english", t.Queue));
        Assert.True(Twilio.SummaryOf("vip").AverageSpeedOfAnswerSeconds < Twilio.SummaryOf("support").AverageSpeedOfAnswerSeconds,
            $"vip {Twilio.SummaryOf("vip").AverageSpeedOfAnswerSeconds} s, support {Twilio.SummaryOf("support").AverageSpeedOfAnswerSeconds} s");
    }

    /// <summary>
    /// Support answers within 60 s, the priority queue within 10 s for 90 %, English within the center's 20 s for 80 %:
    /// each queue's service level (report, Erlang C, wallboard) is the ground truth's with its own T and target, from the
    /// history and from the rollups alike, and the center's counts each caller within their own queue's T.
    /// </summary>
    private async Task EachQueueHasItsOwnServiceLevelAsync(ReportQuery reports, DateTimeOffset from, DateTimeOffset to)
    {
        var own = new Dictionary<string, (int Seconds, double Target)> { ["support"] = (60, 80), ["vip"] = (10, 90), ["english"] = (20, 80) };
        double Expected(IEnumerable<CallTruth> visits)
        {
            var v = visits.Where(t => t.Queued).ToList();
            var within = v.Count(t => t.AnsweredAt is not null && t.WaitSeconds <= own[t.Queue!].Seconds);
            var slBase = v.Count(t => t.AnsweredAt is not null) + v.Count(t => t.QueueResult == "hangup" && t.AnsweredAt is null && (t.WaitSeconds ?? 0) >= 5);
            return slBase == 0 ? 100 : Math.Round(100.0 * within / slBase, 2);
        }

        var thresholds = RollupThresholds.Of(Center.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportOptions>>().Value,
            Center.App.Services.GetRequiredService<MiniCC.Queues.QueueDirectory>());
        foreach (var pass in new[] { "history", "rollups" })
        {
            if (pass == "rollups")
            {
                await Rollups.RefreshAllAsync(Center.App.Database, thresholds, null, default);
            }

            foreach (var (queue, (seconds, target)) in own)
            {
                var r = await reports.RunAsync(from, to, 30, queue, pass == "history" ? ReportSource.History : ReportSource.Rollups, default);
                Assert.Equal((pass, queue, seconds, target, Expected(Twilio.Truth.Where(t => t.Queue == queue))),
                    (pass, queue, r.ServiceLevelSeconds, r.ServiceLevelTargetPercent, r.Totals.ServiceLevelPercent));
                Assert.All(r.Intervals.Where(i => i.Metrics.Offered > 0 && i.Metrics.AverageHandleTimeSeconds > 0), i => Assert.Equal(
                    ErlangC.Required(i.Metrics.Offered, TimeSpan.FromMinutes(30), i.Metrics.AverageHandleTimeSeconds, seconds, target / 100).Agents,
                    i.ErlangCAgentsNeeded));
            }

            var center = await reports.RunAsync(from, to, 30, null, ReportSource.Rollups, default);
            Assert.Equal(Expected(Twilio.Truth), center.Totals.ServiceLevelPercent);
            Assert.Equal(new Dictionary<string, int> { ["support"] = 60, ["vip"] = 10 }, center.QueueServiceLevelSeconds);
        }

        // The wallboard, at the end of the day's only hour: each queue's day as the truth says it, nobody waiting.
        var board = await Center.App.Services.GetRequiredService<LiveQuery>().WallboardAsync(default);
        Assert.Equal(["support", "english", "vip"], board.Queues.Select(q => q.Name));
        Assert.All(board.Queues, q => Assert.Equal(
            (q.Name, Twilio.SummaryOf(q.Name).Offered, Twilio.SummaryOf(q.Name).Answered, Expected(Twilio.Truth.Where(t => t.Queue == q.Name)), own[q.Name].Target, 0L),
            (q.Name, (int)q.Today.Offered, (int)q.Today.Answered, q.Today.ServiceLevelPercent, q.ServiceLevelTargetPercent, q.Waiting)));
    }

    [SkippableFact]
    public async Task CallersFindTheirQueueByKeyAndBySpeechAndTheExistingOrdersAreServedFirst()
    {
        await SkillsAsync(Smith, new Skill("english", 5));
        var (sato, first) = await SatoTakesAFirstCallerAsync();

        // By speech at level 2 (Twilio heard 「注文です」), a wrong key at level 3, then a new order: the support queue.
        var spoken = await Twilio.DialAsync("+819020000001");
        await spoken.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("ご注文は1を、そのほかは2を押すか、ご用件をおっしゃってください。", spoken.Heard);
        await spoken.SpeakAsync("注文です。", 0.92);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("新しいご注文は1を、ご注文済みの方は2を押してください。", spoken.Heard);
        await spoken.PressAsync("7");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("恐れ入りますが、もう一度番号をお選びください。", spoken.Heard);
        await spoken.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallState.InQueue, spoken.State);

        // Speech Twilio is not sure of chooses nothing; then silence at level 3 goes to the support queue.
        var silent = await Twilio.DialAsync("+819020000002");
        await silent.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        await silent.SpeakAsync("注文", 0.3);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("恐れ入りますが、もう一度番号をお選びください。", silent.Heard);
        await silent.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CallState.InQueue, silent.State);

        // An existing order: the priority queue, entered after the two others.
        var existing = await CallAsync("+819020000003", TimeSpan.FromSeconds(15), "1", "1", "2");
        Assert.Equal(CallState.InQueue, existing.State);

        // An English speaker, and Smith, who serves the English queue only, ready for them.
        var english = await Twilio.DialAsync("+14155550100");
        await english.PressAsync("2");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("Connecting you to our English-speaking team.", english.Heard);
        // Waiting, they hear English (the language the menu left them in): their place and the queue's own announcement.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("Thank you for waiting. You are number 1 in line.", english.Heard);
        Assert.Contains("You are waiting for our English-speaking team.", english.Heard);
        Assert.DoesNotContain("英語担当の窓口です。", english.Heard);
        var smith = await Twilio.DialAsync(Smith);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Same(smith, english.ConnectedTo);

        // Sato is free: the existing order first, though the two others waited longer; then the longest-waiting of them.
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(sato, existing.ConnectedTo);
        await existing.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(sato, spoken.ConnectedTo);

        // Smith, free again, waits for English callers only: the Japanese caller still waiting is not his.
        await english.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(CallState.InQueue, silent.State);
        Assert.Null(silent.ConnectedTo);

        string?[] choices = [await ChoiceAsync(first), await ChoiceAsync(silent), await ChoiceAsync(existing), await ChoiceAsync(spoken), await ChoiceAsync(english)];
        Assert.Equal(["other", "no-input", "existing-order", "new-order", "en"], choices.Select(c => c ?? "(none)"));
        Assert.Equal(["support", "support", "vip", "support", "english"],
            [await QueueAsync(first), await QueueAsync(silent), await QueueAsync(existing), await QueueAsync(spoken), await QueueAsync(english)]);
        Assert.Empty(Twilio.ApplicationErrors);
    }
}
