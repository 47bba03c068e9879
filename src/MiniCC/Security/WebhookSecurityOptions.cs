using System.Net;
using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Security;

/// <summary>The <c>Twilio</c> section: the account's auth token, with which every webhook must then be signed.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";

    /// <summary><c>Twilio:AuthToken</c>: the account's primary auth token. Empty: signatures are not checked.</summary>
    public string? AuthToken { get; set; }

    /// <summary><c>Twilio:AccountSid</c>: the account (AC…), the subject of the desk's access tokens.</summary>
    public string? AccountSid { get; set; }

    /// <summary><c>Twilio:ApiKeySid</c>: the API Key (SK…) that issues the desk's access tokens.</summary>
    public string? ApiKeySid { get; set; }

    /// <summary><c>Twilio:ApiKeySecret</c>: that key's secret, which signs them (never the auth token).</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary><c>Twilio:TwimlAppSid</c>: the TwiML App (AP…) whose Voice URL answers calls from the desk.</summary>
    public string? TwimlAppSid { get; set; }
}

/// <summary>The <c>MiniCC</c> settings that say who may call the webhooks, besides Twilio's signature.</summary>
public sealed class WebhookSecurityOptions
{
    public const string Section = "MiniCC";

    /// <summary><c>MiniCC:BasicAuth</c>: the original's protection, credentials put in the webhook URLs.</summary>
    public BasicAuthOptions BasicAuth { get; set; } = new();

    /// <summary><c>MiniCC:AllowUnsignedWebhooks</c>: serve unauthenticated webhooks in Production (you know why).</summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>
    /// <c>MiniCC:TrustedProxies</c>: IP addresses, or networks (<c>10.89.0.0/16</c>), whose X-Forwarded-Proto/Host/For
    /// are believed. A network is for a proxy whose address is not known in advance, such as a container network's gateway.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    public bool HasBasicAuth => !string.IsNullOrEmpty(BasicAuth.Username);

    /// <summary>The trusted proxies given as single addresses (each was checked at start).</summary>
    public IReadOnlyList<IPAddress> ProxyAddresses() => [.. TrustedProxies.Where(t => !t.Contains('/', StringComparison.Ordinal)).Select(IPAddress.Parse)];

    /// <summary>The trusted proxies given as networks (each was checked at start).</summary>
    public IReadOnlyList<IPNetwork> ProxyNetworks() => [.. TrustedProxies.Where(t => t.Contains('/', StringComparison.Ordinal)).Select(t => IPNetwork.Parse(t))];
}

public sealed class BasicAuthOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }
}

internal sealed class TwilioOptionsValidator : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions o)
    {
        var p = new SettingProblems(TwilioOptions.Section);
        // A token pasted with a space or a line break would refuse every genuine webhook. Never repeat the token itself.
        p.Check(o.AuthToken is null || o.AuthToken == o.AuthToken.Trim(),
            $"{p.Key(nameof(o.AuthToken))} begins or ends with a space or a line break; give the token alone.");
        p.Check(string.IsNullOrEmpty(o.AccountSid) || MiniCC.Twilio.Webhooks.Sid.IsValid(o.AccountSid, "AC"),
            $"{p.Key(nameof(o.AccountSid))} is AC followed by 32 hex digits (the Twilio console's Account Info).");
        p.Check(string.IsNullOrEmpty(o.ApiKeySid) || MiniCC.Twilio.Webhooks.Sid.IsValid(o.ApiKeySid, "SK"),
            $"{p.Key(nameof(o.ApiKeySid))} is SK followed by 32 hex digits (Account → API keys).");
        p.Check(o.ApiKeySecret is null || o.ApiKeySecret == o.ApiKeySecret.Trim(),
            $"{p.Key(nameof(o.ApiKeySecret))} begins or ends with a space or a line break; give the secret alone.");
        p.Check(string.IsNullOrEmpty(o.TwimlAppSid) || MiniCC.Twilio.Webhooks.Sid.IsValid(o.TwimlAppSid, "AP"),
            $"{p.Key(nameof(o.TwimlAppSid))} is AP followed by 32 hex digits (Voice → TwiML → TwiML Apps).");
        return p.Result;
    }
}

internal sealed class WebhookSecurityOptionsValidator : IValidateOptions<WebhookSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookSecurityOptions o)
    {
        var p = new SettingProblems(WebhookSecurityOptions.Section);
        var username = p.Key("BasicAuth:" + nameof(o.BasicAuth.Username));
        var password = p.Key("BasicAuth:" + nameof(o.BasicAuth.Password));
        p.Check(!o.HasBasicAuth || !string.IsNullOrEmpty(o.BasicAuth.Password), $"{username} is set but {password} is empty.");
        p.Check(o.HasBasicAuth || string.IsNullOrEmpty(o.BasicAuth.Password), $"{password} is set but {username} is empty.");
        p.Check(!(o.BasicAuth.Username ?? "").Contains(':', StringComparison.Ordinal), $"{username} cannot contain ':'.");
        for (var i = 0; i < o.TrustedProxies.Count; i++)
        {
            var text = o.TrustedProxies[i] ?? "";
            p.Check(text.Contains('/', StringComparison.Ordinal) ? IsNetwork(text) : IPAddress.TryParse(text, out _),
                $"{p.Key($"{nameof(o.TrustedProxies)}:{i}")} is '{text}', which is not an IP address or a network (such as 10.89.0.0/16, with no bits after the prefix).");
        }

        return p.Result;
    }

    /// <summary>A network written as its first address and prefix; 10.89.0.1/16 is refused, not read as 10.89.0.0/16.</summary>
    private static bool IsNetwork(string text) =>
        IPNetwork.TryParse(text, out var network)
        && IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var first)
        && first.Equals(network.BaseAddress);
}

/// <summary>
/// The server's own rule (a verb serves no webhooks): in Production, webhooks that anyone could call are refused
/// unless <c>MiniCC:AllowUnsignedWebhooks</c> says something else protects them.
/// </summary>
internal sealed class WebhooksProtectedInProduction(IHostEnvironment environment, IOptions<TwilioOptions> twilio) : IValidateOptions<WebhookSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookSecurityOptions o) =>
        !environment.IsProduction() || o.AllowUnsignedWebhooks || o.HasBasicAuth || !string.IsNullOrEmpty(twilio.Value.AuthToken)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "the webhooks are unprotected: anyone could pose as Twilio. Set Twilio:AuthToken (environment Twilio__AuthToken) " +
                "to your account's auth token, or MiniCC:BasicAuth:Username and MiniCC:BasicAuth:Password, " +
                "or set MiniCC:AllowUnsignedWebhooks=true if something else protects them.");
}
