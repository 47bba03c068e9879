using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Security;
using MiniCC.Voice;

namespace MiniCC.Cli;

internal static class OperatorsCommand
{
    public static Command Create(CliContext cli)
    {
        var operators = new Command("operators", "Manage the operators: the phone numbers that enter the operator loop when they call.");

        var phone = new Argument<string>("phone") { Description = "The operator's phone number: +81 90 1234 5678, 090-1234-5678 (national, uses MiniCC:DefaultCountryCode) …" };
        var name = new Option<string?>("--name") { Description = "A name to show in reports." };
        var pinOption = new Option<string?>("--pin") { Description = "A PIN (4-12 digits) the operator must key in before taking calls; caller ID alone can be spoofed." };
        var add = new Command("add", "Register a phone number as an operator.") { phone, name, pinOption };
        add.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (store, e164, token) =>
        {
            var pin = r.GetValue(pinOption);
            if (pin is not null && PinProblem(pin) is { } problem)
            {
                return cli.Fail(problem);
            }

            if (!await store.AddAsync(e164, r.GetValue(name), pin is null ? null : SecretHasher.Hash(pin), token))
            {
                return cli.Fail($"{e164} is already an operator.");
            }

            return cli.Ok($"Added operator {e164}.");
        }, ct));

        var list = new Command("list", "List the operators.");
        list.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var all = await services.GetRequiredService<OperatorStore>().ListAsync(token);
            if (all.Count == 0)
            {
                return cli.Ok("No operators yet. Add one with: minicc operators add <phone> --name <name>");
            }

            var skills = await services.GetRequiredService<OperatorSkills>().AllAsync(token);
            cli.Out.WriteLine($"{"PHONE",-18} {"STATUS",-9} {"PIN",-6} NAME");
            foreach (var o in all)
            {
                var lockedUntil = services.GetRequiredService<PinLockout>().LockedUntil(o);
                var pin = o.PinHash is null ? "no" : lockedUntil is null ? "yes" : "locked";
                var note = lockedUntil is { } until
                    ? $" (PIN locked until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; minicc operators unlock {o.Phone})"
                    : "";
                var serves = skills.TryGetValue(o.Id, out var own) ? $" [serves {OperatorSkillsCommand.Describe(own)}]" : "";
                cli.Out.WriteLine($"{o.Phone,-18} {(o.Active ? "active" : "disabled"),-9} {pin,-6} {o.Name}{serves}{note}");
            }

            return 0;
        }, ct));

        var remove = new Command("remove", "Remove an operator (their past calls stay in the history).") { phone };
        remove.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (store, e164, token) =>
            await store.RemoveAsync(e164, token) ? cli.Ok($"Removed operator {e164}.") : cli.Fail($"{e164} is not an operator."), ct));

        var disable = new Command("disable", "Stop a number from entering the operator loop (it hears the customer menu).") { phone };
        disable.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (store, e164, token) =>
            await store.SetActiveAsync(e164, false, token) ? cli.Ok($"Disabled operator {e164}.") : cli.Fail($"{e164} is not an operator."), ct));

        var enable = new Command("enable", "Let a disabled operator take calls again.") { phone };
        enable.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (store, e164, token) =>
            await store.SetActiveAsync(e164, true, token) ? cli.Ok($"Enabled operator {e164}.") : cli.Fail($"{e164} is not an operator."), ct));

        var pinArgument = new Argument<string?>("pin") { Description = "The new PIN, 4-12 digits.", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the PIN: caller ID alone identifies the operator again." };
        var setPin = new Command("set-pin", "Set or clear the PIN an operator keys in (then #) when calling in.") { phone, pinArgument, clear };
        setPin.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (store, e164, token) =>
        {
            var pin = r.GetValue(pinArgument);
            var clearing = r.GetValue(clear);
            if (clearing == (pin is not null))
            {
                return cli.Fail("give either a PIN or --clear.");
            }

            if (pin is not null && PinProblem(pin) is { } problem)
            {
                return cli.Fail(problem);
            }

            return await store.SetPinAsync(e164, pin is null ? null : SecretHasher.Hash(pin), token)
                ? cli.Ok(pin is null ? $"Cleared the PIN of operator {e164}." : $"Set the PIN of operator {e164}.")
                : cli.Fail($"{e164} is not an operator.");
        }, ct));

        var unlock = new Command("unlock", "End a PIN lock (too many wrong PINs across calls) at once, and forget the wrong PINs counted so far.") { phone };
        unlock.SetAction((r, ct) => WithPhone(cli, r.GetValue(phone), async (services, e164, token) =>
            await services.GetRequiredService<PinLockout>().UnlockAsync(e164, token)
                ? cli.Ok($"Unlocked the PIN of operator {e164}.")
                : cli.Fail($"{e164} is not an operator."), ct));

        operators.Subcommands.Add(add);
        operators.Subcommands.Add(setPin);
        operators.Subcommands.Add(unlock);
        operators.Subcommands.Add(list);
        operators.Subcommands.Add(remove);
        operators.Subcommands.Add(disable);
        operators.Subcommands.Add(enable);
        operators.Subcommands.Add(OperatorSkillsCommand.Create(cli, phone, WithPhone));
        return operators;
    }

    private static Task<int> WithPhone(CliContext cli, string? raw, Func<OperatorStore, string, CancellationToken, Task<int>> action, CancellationToken ct) =>
        WithPhone(cli, raw, (services, e164, token) => action(services.GetRequiredService<OperatorStore>(), e164, token), ct);

    private static Task<int> WithPhone(CliContext cli, string? raw, Func<IServiceProvider, string, CancellationToken, Task<int>> action, CancellationToken ct) =>
        MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var cc = services.GetRequiredService<IOptions<VoiceOptions>>().Value.DefaultCountryCode;
            var e164 = PhoneNumber.Normalize(raw, cc, out var error);
            return e164 is null
                ? cli.Fail($"not a phone number: {error}.")
                : await action(services, e164, token);
        }, ct);

    private static string? PinProblem(string pin) =>
        pin.Length is >= 4 and <= 12 && pin.All(char.IsAsciiDigit) ? null : "a PIN is 4 to 12 digits (keys 0-9).";
}
