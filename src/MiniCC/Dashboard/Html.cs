using System.Text;
using System.Text.Encodings.Web;

namespace MiniCC.Dashboard;

/// <summary>A tiny HTML builder: every piece of text goes through the HTML encoder.</summary>
internal sealed class Html
{
    private readonly StringBuilder _sb = new();

    // All of Unicode passes as itself (Japanese stays readable); markup characters are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public Html Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        _sb.Append(E(text));
        return this;
    }

    public static string Page(string lang, string title, string body, IEnumerable<string>? scripts = null, string? pageId = null, string? bodyClass = null) => $$"""
        <!DOCTYPE html>
        <html lang="{{E(lang)}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} — MiniCC</title>
        <link rel="stylesheet" href="/css/minicc.css">
        </head>
        <body{{(bodyClass is null ? "" : $" class=\"{E(bodyClass)}\"")}}{{(pageId is null ? "" : $" data-page=\"{E(pageId)}\"")}}><main>
        {{body}}
        </main>
        {{string.Concat((scripts ?? []).Select(s => $"<script src=\"{E(s)}\"></script>"))}}
        </body>
        </html>
        """;

    public override string ToString() => _sb.ToString();
}
