using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Storage;

namespace MiniCC.Tests.EndToEnd;

/// <summary>The real app (on a fresh database of one provider) and the Twilio emulator in front of it, sharing one clock.</summary>
public sealed class CallCenter : IDisposable
{
    private CallCenter(MiniCCFactory app, TwilioEmulator twilio, HttpClient client)
    {
        App = app;
        Twilio = twilio;
        _client = client;
    }

    private readonly HttpClient _client;

    public MiniCCFactory App { get; }

    public TwilioEmulator Twilio { get; }

    public HistoryReader History => App.History;

    public static CallCenter Open(string provider = "sqlite", Dictionary<string, string?>? settings = null, int seed = 1,
        Func<EmulatorOptions, EmulatorOptions>? emulator = null)
    {
        var options = new EmulatorOptions { AuthToken = MiniCCFactory.AuthToken, Seed = seed, Start = MiniCCFactory.Start };
        options = emulator?.Invoke(options) ?? options;
        // The emulator owns the clock; the app reads it through its TimeProvider.
        var app = new MiniCCFactory(provider, settings, new ClockProxy());
        var client = app.CreateClient();
        var twilio = new TwilioEmulator(client, options);
        ClockProxy.Bind(app, twilio.Clock);
        return new CallCenter(app, twilio, client);
    }

    /// <summary>
    /// As <see cref="Open"/>, with the emulator's recording media server started first, so that the app may fetch from it
    /// (<c>MiniCC:Voicemail:MediaUrlPrefixes</c>); <paramref name="emulator"/> adjusts the emulator's options.
    /// </summary>
    public static CallCenter OpenWithMedia(string provider, Dictionary<string, string?> settings, Func<EmulatorOptions, EmulatorOptions> emulator)
    {
        var options = emulator(new EmulatorOptions { AuthToken = MiniCCFactory.AuthToken, Start = MiniCCFactory.Start });
        // The emulator needs its HTTP client before the app exists: the app's handler is bound once it is built.
        var late = new LateHandler();
        var client = new HttpClient(late) { BaseAddress = new Uri("http://localhost/") };
        var twilio = new TwilioEmulator(client, options);
        settings = new(settings) { ["MiniCC:Voicemail:MediaUrlPrefixes:0"] = twilio.StartMediaServer().ToString(), ["Twilio:AccountSid"] = options.AccountSid };
        var app = new MiniCCFactory(provider, settings, new ClockProxy());
        late.InnerHandler = app.Server.CreateHandler();
        ClockProxy.Bind(app, twilio.Clock);
        return new CallCenter(app, twilio, client);
    }

    private sealed class LateHandler : DelegatingHandler;

    public async Task AddOperatorAsync(string phone, string name) => await App.Operators.AddAsync(phone, name, default);

    public void Dispose()
    {
        Twilio.Dispose();
        _client.Dispose();
        App.Dispose();
    }

    /// <summary>Lets the app be built before the emulator exists, then reads the emulator's clock.</summary>
    private sealed class ClockProxy : TimeProvider
    {
        private TimeProvider _inner = System;

        public static void Bind(MiniCCFactory app, TimeProvider clock) =>
            ((ClockProxy)app.Services.GetRequiredService<TimeProvider>())._inner = clock;

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();
    }
}
