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

    public static string Page(string lang, string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="{{E(lang)}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} — MiniCC</title>
        <style>
          body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 2rem; color: #1b1f24; }
          main { max-width: 60rem; }
          table { border-collapse: collapse; } td, th { border-bottom: 1px solid #d0d7de; padding: .3rem .8rem; text-align: left; }
          .error { color: #b42318; } label { display: block; margin: .6rem 0; } input { font-size: 1rem; padding: .3rem; }
          header { display: flex; gap: 1rem; align-items: baseline; } header form { margin-left: auto; }
        </style>
        </head>
        <body><main>
        {{body}}
        </main></body>
        </html>
        """;

    public override string ToString() => _sb.ToString();
}
