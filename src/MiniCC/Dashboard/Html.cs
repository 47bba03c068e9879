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
        <style>
          body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 2rem; color: #1b1f24; }
          main { max-width: 60rem; }
          table { border-collapse: collapse; } td, th { border-bottom: 1px solid #d0d7de; padding: .3rem .8rem; text-align: left; }
          .error { color: #b42318; } label { display: block; margin: .6rem 0; } input { font-size: 1rem; padding: .3rem; }
          header, nav { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; } header form, nav form { margin-left: auto; }
          nav a[aria-current] { font-weight: bold; } nav .who { margin-left: auto; color: #57606a; }
          .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .8rem; margin: 1rem 0; }
          .tile { border: 1px solid #d0d7de; border-radius: .4rem; padding: .6rem; } .tile .value { font-size: 2rem; font-weight: bold; }
          .tile .def { font-size: .8rem; color: #57606a; } form.range { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; }
          canvas { max-width: 100%; margin: 1rem 0; }
          body.wallboard { background: #0d1117; color: #f0f6fc; margin: 0; } body.wallboard main { max-width: none; }
          #wallboard { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2vw; padding: 2vw; }
          #wallboard .big { background: #161b22; border-radius: 1vw; padding: 2vw; text-align: center; }
          #wallboard .label { font-size: 2.2vw; color: #8b949e; } #wallboard .value { font-size: 8vw; font-weight: bold; }
          #wallboard .updated { grid-column: 1 / -1; font-size: 1.2vw; color: #8b949e; }
        </style>
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
