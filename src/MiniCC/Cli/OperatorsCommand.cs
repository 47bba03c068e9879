using System.CommandLine;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Voice;

namespace MiniCC.Cli;

internal static class OperatorsCommand
{
    public static Command Create()
    {
        var operators = new Command("operators", "Manage the operators: the phone numbers that enter the operator loop when they call.");

        var phone = new Argument<string>("phone") { Description = "The operator's phone number: +81 90 1234 5678, 090-1234-5678 (national, uses MiniCC:DefaultCountryCode) …" };
        var name = new Option<string?>("--name") { Description = "A name to show in reports." };
        var add = new Command("add", "Register a phone number as an operator.") { phone, name };
        add.SetAction((r, ct) => WithPhone(r.GetValue(phone), async (store, e164, token) =>
        {
            if (!await store.AddAsync(e164, r.GetValue(name), token))
            {
                return Fail($"{e164} is already an operator.");
            }

            Console.WriteLine($"Added operator {e164}.");
            return 0;
        }, ct));

        var list = new Command("list", "List the operators.");
        list.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            var all = await services.GetRequiredService<OperatorStore>().ListAsync(token);
            if (all.Count == 0)
            {
                Console.WriteLine("No operators yet. Add one with: minicc operators add <phone> --name <name>");
                return 0;
            }

            Console.WriteLine($"{"PHONE",-18} {"STATUS",-9} NAME");
            foreach (var o in all)
            {
                Console.WriteLine($"{o.Phone,-18} {(o.Active ? "active" : "disabled"),-9} {o.Name}");
            }

            return 0;
        }, ct));

        var remove = new Command("remove", "Remove an operator (their past calls stay in the history).") { phone };
        remove.SetAction((r, ct) => WithPhone(r.GetValue(phone), async (store, e164, token) =>
            await store.RemoveAsync(e164, token) ? Ok($"Removed operator {e164}.") : Fail($"{e164} is not an operator."), ct));

        var disable = new Command("disable", "Stop a number from entering the operator loop (it hears the customer menu).") { phone };
        disable.SetAction((r, ct) => WithPhone(r.GetValue(phone), async (store, e164, token) =>
            await store.SetActiveAsync(e164, false, token) ? Ok($"Disabled operator {e164}.") : Fail($"{e164} is not an operator."), ct));

        var enable = new Command("enable", "Let a disabled operator take calls again.") { phone };
        enable.SetAction((r, ct) => WithPhone(r.GetValue(phone), async (store, e164, token) =>
            await store.SetActiveAsync(e164, true, token) ? Ok($"Enabled operator {e164}.") : Fail($"{e164} is not an operator."), ct));

        operators.Subcommands.Add(add);
        operators.Subcommands.Add(list);
        operators.Subcommands.Add(remove);
        operators.Subcommands.Add(disable);
        operators.Subcommands.Add(enable);
        return operators;
    }

    private static Task<int> WithPhone(string? raw, Func<OperatorStore, string, CancellationToken, Task<int>> action, CancellationToken ct) =>
        MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            var cc = services.GetRequiredService<IOptions<VoiceOptions>>().Value.DefaultCountryCode;
            var e164 = PhoneNumber.Normalize(raw, cc, out var error);
            return e164 is null
                ? Fail($"not a phone number: {error}.")
                : await action(services.GetRequiredService<OperatorStore>(), e164, token);
        }, ct);

    private static int Ok(string message)
    {
        Console.WriteLine(message);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("minicc: " + message);
        return 1;
    }
}
