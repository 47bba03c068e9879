using System.CommandLine;
using System.Globalization;
using MiniCC.Operators;
using MiniCC.Queues;

namespace MiniCC.Cli;

/// <summary><c>minicc operators skills &lt;phone&gt; [queue[:level] …] [--all]</c>: the queues an operator serves.</summary>
internal static class OperatorSkillsCommand
{
    public static Command Create(CliContext cli, Argument<string> phone, Func<CliContext, string?, Func<IServiceProvider, string, CancellationToken, Task<int>>, CancellationToken, Task<int>> withPhone)
    {
        var skillArguments = new Argument<string[]>("skills")
        {
            Description = "The queues the operator serves (MiniCC:Queues names), each with a level 1-10 after a colon (sales:8); without a level, 5. None: show them.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var all = new Option<bool>("--all") { Description = "Serve every queue again (forget the skills)." };
        var skills = new Command("skills", "Show or set the queues an operator serves; an operator without skills serves every queue.") { phone, skillArguments, all };
        skills.SetAction((r, ct) => withPhone(cli, r.GetValue(phone), async (services, e164, token) =>
        {
            var op = await services.GetRequiredService<OperatorStore>().FindAsync(e164, token);
            if (op is null)
            {
                return cli.Fail($"{e164} is not an operator.");
            }

            var store = services.GetRequiredService<OperatorSkills>();
            var given = r.GetValue(skillArguments) ?? [];
            if (r.GetValue(all))
            {
                if (given.Length > 0)
                {
                    return cli.Fail("give either skills or --all.");
                }

                await store.SetAsync(op.Id, [], token);
                return cli.Ok($"Operator {e164} serves every queue.");
            }

            if (given.Length == 0)
            {
                var now = await store.OfAsync(op.Id, token);
                return cli.Ok(now.Count == 0 ? $"Operator {e164} serves every queue." : $"Operator {e164} serves {Describe(now)}.");
            }

            var queues = services.GetRequiredService<QueueDirectory>();
            var parsed = new List<Skill>();
            foreach (var text in given)
            {
                var (name, level) = Parse(text);
                if (!queues.Has(name))
                {
                    return cli.Fail($"'{name}' is not a queue of MiniCC:Queues ({string.Join(", ", queues.All.Select(q => q.Name))}).");
                }

                if (level is null)
                {
                    return cli.Fail($"'{text}': a level is a whole number from {OperatorSkills.MinLevel} to {OperatorSkills.MaxLevel}, after a colon (sales:8).");
                }

                if (parsed.Any(s => s.Queue == name))
                {
                    return cli.Fail($"'{name}' is given twice.");
                }

                parsed.Add(new Skill(name, level.Value));
            }

            await store.SetAsync(op.Id, parsed, token);
            return cli.Ok($"Operator {e164} serves {Describe(parsed)}.");
        }, ct));
        return skills;
    }

    /// <summary>"sales (level 8), support (level 5)".</summary>
    public static string Describe(IEnumerable<Skill> skills) =>
        string.Join(", ", skills.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Queue} (level {s.Level})")));

    private static (string Name, int? Level) Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (text, 5);
        }

        var level = int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n is >= OperatorSkills.MinLevel and <= OperatorSkills.MaxLevel ? n : (int?)null;
        return (text[..colon], level);
    }
}
