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

    public static CallCenter Open(string provider = "sqlite", Dictionary<string, string?>? settings = null, int seed = 1)
    {
        var options = new EmulatorOptions { AuthToken = MiniCCFactory.AuthToken, Seed = seed, Start = MiniCCFactory.Start };
        // The emulator owns the clock; the app reads it through its TimeProvider.
        var app = new MiniCCFactory(provider, settings, new ClockProxy());
        var client = app.CreateClient();
        var twilio = new TwilioEmulator(client, options);
        ClockProxy.Bind(app, twilio.Clock);
        return new CallCenter(app, twilio, client);
    }

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
