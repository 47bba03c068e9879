using System.CommandLine;
using Microsoft.Extensions.Options;
using MiniCC.Callbacks;
using MiniCC.Menu;
using MiniCC.Voice;
using MiniCC.Voicemail;

namespace MiniCC.Cli;

/// <summary><c>minicc menu check [file] | show [file]</c>: the phone menu checked or printed without starting the server (see <see cref="MenuCheck"/>).</summary>
internal static class MenuCommand
{
    public static Command Create(CliContext cli)
    {
        var menu = new Command("menu", "The phone menu (MiniCC:Menu, or the file it names): check it, or print it as an outline.");

        var checkFile = FileArgument();
        var check = new Command("check", "Check a menu file, or the configured menu, as the server does at start: prints OK and the number of nodes, or every problem (exit code 1).")
        {
            checkFile,
        };
        check.SetAction(r => WithMenu(cli, r.GetValue(checkFile), (menu, problems) =>
        {
            if (problems.Count == 0)
            {
                return cli.Ok($"OK: {menu.Tree.Nodes.Count} nodes ({menu.Source}).");
            }

            foreach (var problem in problems)
            {
                cli.Error.WriteLine(problem);
            }

            return cli.Fail($"{Count(problems)} in the menu ({menu.Source}).");
        }));

        var showFile = FileArgument();
        var show = new Command("show", "Print a menu file, or the configured menu, as an outline: each node with its type, its first words and where its keys lead.")
        {
            showFile,
        };
        show.SetAction(r => WithMenu(cli, r.GetValue(showFile), (menu, problems) =>
        {
            cli.Out.WriteLine($"Menu ({menu.Source}), heard in {string.Join(" and ", menu.Tree.Languages)}:");
            var outline = MenuOutline.Of(menu.Tree.Nodes, menu.Tree.Start);
            if (outline.Root is { } root)
            {
                Print(cli.Out, root, 1, menu);
            }

            if (outline.Unreachable.Count > 0)
            {
                cli.Out.WriteLine("Unreachable:");
                foreach (var id in outline.Unreachable)
                {
                    cli.Out.WriteLine("  " + Describe(id, menu.Tree.Nodes[id], menu));
                }
            }

            return problems.Count == 0 ? 0 : cli.Fail($"{Count(problems)} in the menu: see minicc menu check.");
        }));

        menu.Subcommands.Add(check);
        menu.Subcommands.Add(show);
        return menu;
    }

    private sealed record Loaded(MenuTree Tree, string Source, MenuWords Words);

    private static Argument<string?> FileArgument() =>
        new("file") { Description = "A menu file (JSON, as MiniCC:Menu:File names one); without it, the configured menu.", Arity = ArgumentArity.ZeroOrOne };

    /// <summary>Reads the menu (a file, or the configured one with the settings it depends on) and hands it on with its problems; a file that cannot be read is a failure.</summary>
    private static int WithMenu(CliContext cli, string? file, Func<Loaded, IReadOnlyList<string>, int> verb)
    {
        try
        {
            using var host = MiniCCCommands.BuildHost(cli);
            var services = host.Services;
            var voice = services.GetRequiredService<IOptions<VoiceOptions>>().Value;
            var words = new MenuWords(voice);
            if (file is null)
            {
                var configured = services.GetRequiredService<IOptions<MenuOptions>>().Value;
                var configuration = services.GetRequiredService<IConfiguration>();
                var source = !string.IsNullOrEmpty(configured.File) ? configured.File
                    : configuration.GetSection(MenuOptions.Section).GetSection(nameof(MenuOptions.Nodes)).Exists() ? MenuOptions.Section : "the original's";
                return verb(new Loaded(services.GetRequiredService<MenuTree>(), source, words), []);
            }

            var (tree, problems) = MenuSource.Read(file);
            if (tree is null)
            {
                return Fail(cli, problems);
            }

            var context = MenuServices.Context(voice, services.GetRequiredService<IOptions<VoicemailOptions>>().Value,
                services.GetRequiredService<IOptions<CallbackOptions>>().Value);
            return verb(new Loaded(new MenuTree(tree, voice.Language), Path.GetFullPath(file), words), MenuCheck.Problems(tree, context));
        }
        catch (OptionsValidationException ex)
        {
            return Fail(cli, ex.Failures);
        }
        catch (Exception ex) when (MiniCCCommands.Explain(ex) is { } message)
        {
            return cli.Fail(message);
        }
    }

    private static int Fail(CliContext cli, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            cli.Fail(problem);
        }

        return 1;
    }

    private static void Print(TextWriter output, MenuOutlineItem item, int depth, Loaded menu)
    {
        var via = item.Via is null ? "" : Label(item.Via) + " → ";
        var what = item.Node is null ? $"{item.Id} (no such node)" : item.Repeat ? $"{item.Id} (above)" : Describe(item.Id, item.Node, menu);
        output.WriteLine(new string(' ', depth * 2) + via + what);
        foreach (var child in item.Children)
        {
            Print(output, child, depth + 1, menu);
        }
    }

    private static string Describe(string id, MenuNode node, Loaded menu)
    {
        var words = menu.Words.First(node, menu.Tree.Languages[0]);
        var queue = node.Queue is null ? "" : $" [{node.Queue}]";
        return $"{id}  {node.Type}{queue}" + (words.Length == 0 ? "" : $"  \"{words}\"");
    }

    private static string Count(IReadOnlyList<string> problems) => problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";

    private static string Label(MenuEdge edge) => edge.Kind switch
    {
        MenuEdgeKind.Key => edge.Key!,
        MenuEdgeKind.NoInput => "silence",
        MenuEdgeKind.Invalid => "wrong key",
        MenuEdgeKind.Open => "open",
        MenuEdgeKind.Closed => "closed",
        MenuEdgeKind.Listed => "listed",
        MenuEdgeKind.Others => "others",
        _ => "then",
    };
}
