using System.CommandLine;
using System.Text;
using MiniCC.Security;

namespace MiniCC.Cli;

internal static class UsersCommand
{
    public static Command Create(CliContext cli)
    {
        var users = new Command("users", "Manage the people who may sign in to MiniCC's pages (dashboard, admin).");
        var name = new Argument<string>("name") { Description = "The user name (letters, digits, . _ - @)." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of asking for it." };

        var operatorOption = new Option<string?>("--operator")
        {
            Description = "The operator this user is (phone number or name): they may then take calls in the browser at /desk.",
        };
        var add = new Command("add", $"Add a user; asks for the password (at least {UserStore.MinPasswordLength} characters).") { name, stdin, operatorOption };
        add.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var username = r.GetValue(name)!;
            if (UserStore.UsernameProblem(username) is { } problem)
            {
                return cli.Fail(problem + ".");
            }

            Operators.Operator? op = null;
            if (r.GetValue(operatorOption) is { } wanted && (op = await FindOperatorAsync(services, wanted, token)) is null)
            {
                return cli.Fail(NoSuchOperator(wanted));
            }

            var password = ReadPassword(cli, r.GetValue(stdin));
            if (UserStore.PasswordProblem(password) is { } weak)
            {
                return cli.Fail(weak + ".");
            }

            var store = services.GetRequiredService<UserStore>();
            if (!await store.AddAsync(username, password!, token))
            {
                return cli.Fail($"user '{username}' exists already (change the password with: minicc users set-password {username}).");
            }

            if (op is not null)
            {
                await store.LinkOperatorAsync(username, op.Id, token);
            }

            return cli.Ok($"Added user '{username}'{(op is null ? "" : $", operator {op.Phone}")}. Sign in at /signin.");
        }, ct));

        var setPassword = new Command("set-password", "Change a user's password.") { name, stdin };
        setPassword.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var password = ReadPassword(cli, r.GetValue(stdin));
            if (UserStore.PasswordProblem(password) is { } weak)
            {
                return cli.Fail(weak + ".");
            }

            return await services.GetRequiredService<UserStore>().SetPasswordAsync(r.GetValue(name)!, password!, token)
                ? cli.Ok($"Changed the password of '{r.GetValue(name)}'.")
                : cli.Fail($"no user '{r.GetValue(name)}'.");
        }, ct));

        var noOperator = new Option<bool>("--none") { Description = "The user is no operator any more." };
        var link = new Command("link", "Make a user an operator (who may take calls at /desk), or with --none no operator.") { name, operatorOption, noOperator };
        link.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var username = r.GetValue(name)!;
            Operators.Operator? op = null;
            if (r.GetValue(noOperator) == (r.GetValue(operatorOption) is not null))
            {
                return cli.Fail("give either --operator <phone or name> or --none.");
            }

            if (r.GetValue(operatorOption) is { } wanted && (op = await FindOperatorAsync(services, wanted, token)) is null)
            {
                return cli.Fail(NoSuchOperator(wanted));
            }

            return await services.GetRequiredService<UserStore>().LinkOperatorAsync(username, op?.Id, token)
                ? cli.Ok(op is null ? $"User '{username}' is no operator now." : $"User '{username}' is operator {op.Phone}{(op.Name is null ? "" : $" ({op.Name})")}.")
                : cli.Fail($"no user '{username}'.");
        }, ct));

        var list = new Command("list", "List the users.");
        list.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var all = await services.GetRequiredService<UserStore>().ListAsync(token);
            var phones = (await services.GetRequiredService<Operators.OperatorStore>().ListAsync(token)).ToDictionary(o => o.Id, o => o.Phone);
            return cli.Ok(all.Count == 0
                ? "No users yet. Add one with: minicc users add <name>"
                : string.Join('\n', all.Select(u => u.OperatorId is { } id && phones.TryGetValue(id, out var phone) ? $"{u.Username}  operator {phone}" : u.Username)));
        }, ct));

        var remove = new Command("remove", "Remove a user.") { name };
        remove.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
            await services.GetRequiredService<UserStore>().RemoveAsync(r.GetValue(name)!, token)
                ? cli.Ok($"Removed user '{r.GetValue(name)}'.")
                : cli.Fail($"no user '{r.GetValue(name)}'."), ct));

        users.Subcommands.Add(add);
        users.Subcommands.Add(setPassword);
        users.Subcommands.Add(link);
        users.Subcommands.Add(list);
        users.Subcommands.Add(remove);
        return users;
    }

    /// <summary>The operator by phone number (in any form <c>operators add</c> takes) or by name.</summary>
    private static Task<Operators.Operator?> FindOperatorAsync(IServiceProvider services, string wanted, CancellationToken ct)
    {
        var cc = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Voice.VoiceOptions>>().Value.DefaultCountryCode;
        return services.GetRequiredService<Operators.OperatorStore>().FindByPhoneOrNameAsync(wanted, Operators.PhoneNumber.Normalize(wanted, cc, out _), ct);
    }

    private static string NoSuchOperator(string wanted) =>
        $"no operator '{wanted}' (give the phone number, or a name only one operator has; see minicc operators list).";

    /// <summary>From standard input when asked (or when it is not a terminal); otherwise typed twice, unseen.</summary>
    private static string? ReadPassword(CliContext cli, bool fromStdin)
    {
        if (fromStdin || cli.InputRedirected)
        {
            return cli.In.ReadLine();
        }

        var first = Prompt(cli, "Password: ");
        var second = Prompt(cli, "Again: ");
        if (first != second)
        {
            cli.Error.WriteLine("minicc: the two passwords differ.");
            return null;
        }

        return first;
    }

    /// <summary>Keys read from the terminal itself, unechoed: only a person at the process's own console is asked.</summary>
    private static string Prompt(CliContext cli, string label)
    {
        cli.Error.Write(label);
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                cli.Error.WriteLine();
                return sb.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                sb.Append(key.KeyChar);
            }
        }
    }
}
