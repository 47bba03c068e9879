using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Emulator;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Browser;

/// <summary>
/// A conversation in a queue that records, through the emulator (which records it, serves the file with HTTP auth enforced,
/// and posts its status), then its call's page in a real Chromium: the player reads the emulator's audio through MiniCC.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class CallRecordingBrowserTests
{
    /// <summary>
    /// The emulator must exist (its media server started) before the app's settings can name the media's place, and the
    /// app's port is known only once it listens: the emulator speaks to http://localhost, which MiniCC is told is its
    /// public address (so Twilio's signatures check), and this sends each request on to the app's real address.
    /// </summary>
    private sealed class ToTheApp : HttpMessageHandler
    {
        public HttpClient? App { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var onward = new HttpRequestMessage(request.Method, new Uri(App!.BaseAddress!, request.RequestUri!.PathAndQuery)) { Content = request.Content };
            foreach (var header in request.Headers)
            {
                onward.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return await App.SendAsync(onward, cancellationToken);
        }
    }

    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task TheCallsPagePlaysTheRecordingOfItsConversation(string language)
    {
        var toTheApp = new ToTheApp();
        using var client = new HttpClient(toTheApp) { BaseAddress = new Uri("http://localhost/") };
        using var twilio = new TwilioEmulator(client, new EmulatorOptions { AuthToken = MiniCCFactory.AuthToken, Start = DateTimeOffset.UtcNow, EnforceMediaAuth = true });
        var media = twilio.StartMediaServer();
        await using var s = await BrowserSession.StartAsync(new()
        {
            ["MiniCC:Language"] = language,
            ["MiniCC:PublicBaseUrl"] = "http://localhost",
            ["MiniCC:Queues:0:Name"] = "support",
            ["MiniCC:Queues:0:Record"] = "true",
            ["MiniCC:OperatorStates:WrapUpSeconds"] = "0",
            ["MiniCC:Voicemail:MediaUrlPrefixes:0"] = media.ToString(),
            ["Twilio:AccountSid"] = twilio.Options.AccountSid,
        });
        toTheApp.App = s.App.CreateClient();
        await s.App.Services.GetRequiredService<MiniCC.Security.UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        await s.App.Operators.AddAsync(OperatorPhone, "Sato", default);

        var op = await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var customer = await twilio.DialAsync(Customer);
        await customer.PressAsync("1");
        // "Connecting you", then the recording notice, then the queue (English takes longer to say).
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Same(op, customer.ConnectedTo);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(12));
        await customer.HangUpAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var recording = Assert.Single(twilio.Recordings.Values);
        Assert.Empty(twilio.ApplicationErrors);

        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, $"/calls/{customer.CallSid}");
        var player = page.Locator($"#rec-{recording.Sid} audio");
        Assert.Equal(1, await player.CountAsync());
        await Axe.AssertCleanAsync(page);

        // The player reads the recording through MiniCC, which fetched it with the account's credentials.
        var duration = await player.EvaluateAsync<double>("""
            audio => new Promise((resolve, reject) => {
                audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
                audio.addEventListener('error', () => reject(new Error('audio error ' + (audio.error && audio.error.code))));
                audio.preload = 'auto';
                audio.load();
            })
            """);
        // The emulator's file is as long as the conversation, up to its cap.
        var expected = Math.Min(recording.DurationSeconds, RecordingAudio.MaxSeconds);
        Assert.InRange(duration, expected - 1.5, expected + 1.5);
        Assert.Contains(twilio.MediaRequests, r => r.Path.EndsWith(".mp3", StringComparison.Ordinal) && r.WithCredentials && r.Status == 200);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"call-recording-{language}.png"), FullPage = true });
        Assert.Empty(csp);
    }
}
