using System.CommandLine;
using System.Text;
using MiniCC.Security;
using static MiniCC.Cli.CliOutput;

namespace MiniCC.Cli;

internal static class UsersCommand
{
    public static Command Create()
    {
        var users = new Command("users", "Manage the people who may sign in to MiniCC's pages (dashboard, admin).");
        var name = new Argument<string>("name") { Description = "The user name (letters, digits, . _ - @)." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of asking for it." };

        var add = new Command("add", $"Add a user; asks for the password (at least {UserStore.MinPasswordLength} characters).") { name, stdin };
        add.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            var username = r.GetValue(name)!;
            if (UserStore.UsernameProblem(username) is { } problem)
            {
                return Fail(problem + ".");
            }

            var password = ReadPassword(r.GetValue(stdin));
            if (UserStore.PasswordProblem(password) is { } weak)
            {
                return Fail(weak + ".");
            }

            if (!await services.GetRequiredService<UserStore>().AddAsync(username, password!, token))
            {
                return Fail($"user '{username}' exists already (change the password with: minicc users set-password {username}).");
            }

            Console.WriteLine($"Added user '{username}'. Sign in at /signin.");
            return 0;
        }, ct));

        var setPassword = new Command("set-password", "Change a user's password.") { name, stdin };
        setPassword.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            var password = ReadPassword(r.GetValue(stdin));
            if (UserStore.PasswordProblem(password) is { } weak)
            {
                return Fail(weak + ".");
            }

            return await services.GetRequiredService<UserStore>().SetPasswordAsync(r.GetValue(name)!, password!, token)
                ? Ok($"Changed the password of '{r.GetValue(name)}'.")
                : Fail($"no user '{r.GetValue(name)}'.");
        }, ct));

        var list = new Command("list", "List the users.");
        list.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            var all = await services.GetRequiredService<UserStore>().ListAsync(token);
            Console.WriteLine(all.Count == 0 ? "No users yet. Add one with: minicc users add <name>" : string.Join('\n', all.Select(u => u.Username)));
            return 0;
        }, ct));

        var remove = new Command("remove", "Remove a user.") { name };
        remove.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
            await services.GetRequiredService<UserStore>().RemoveAsync(r.GetValue(name)!, token)
                ? Ok($"Removed user '{r.GetValue(name)}'.")
                : Fail($"no user '{r.GetValue(name)}'."), ct));

        users.Subcommands.Add(add);
        users.Subcommands.Add(setPassword);
        users.Subcommands.Add(list);
        users.Subcommands.Add(remove);
        return users;
    }

    /// <summary>From standard input when asked (or when it is not a terminal); otherwise typed twice, unseen.</summary>
    private static string? ReadPassword(bool fromStdin)
    {
        if (fromStdin || Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var first = Prompt("Password: ");
        var second = Prompt("Again: ");
        if (first != second)
        {
            Console.Error.WriteLine("minicc: the two passwords differ.");
            return null;
        }

        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
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
