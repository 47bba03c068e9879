namespace MiniCC.Pages;

/// <summary>Page text in the prompt language (<c>MiniCC:Language</c>): Japanese or English.</summary>
internal sealed record PageText(
    string Lang, string SignInTitle, string UserName, string Password, string SignIn, string SignOut, string WrongCredentials,
    string NoUsersYet, string Home, string SignedInAs, string Database, string Reachable, string Unreachable, string SpoolBacklog,
    string Operators, string Phone, string Name, string Status, string Pin, string Active, string Disabled, string Yes, string No,
    string TooManyAttempts, string AboutMinutes, string BackToSignIn)
{
    /// <summary>The refusal of a limited sign-in attempt, with the wait when it is a minute or more.</summary>
    public string TryLater(TimeSpan wait) => wait < TimeSpan.FromMinutes(1)
        ? TooManyAttempts
        : TooManyAttempts + string.Format(System.Globalization.CultureInfo.InvariantCulture, AboutMinutes, (int)Math.Ceiling(wait.TotalMinutes));

    public static PageText For(string language) => language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Japanese : English;

    private static readonly PageText English = new(
        "en", "Sign in", "User name", "Password", "Sign in", "Sign out", "The user name or password is wrong.",
        "No one can sign in yet. Create the first user on the server with: minicc users add <name>",
        "MiniCC", "Signed in as", "Database", "reachable", "NOT reachable (calls go on; events wait in the spool)", "Events waiting in the spool",
        "Operators", "Phone", "Name", "Status", "PIN", "active", "disabled", "yes", "no",
        "Too many sign-in attempts. Please try again later.", " Please wait about {0} minutes.", "Back to sign-in");

    private static readonly PageText Japanese = new(
        "ja", "サインイン", "ユーザー名", "パスワード", "サインイン", "サインアウト", "ユーザー名またはパスワードが違います。",
        "サインインできるユーザーがまだいません。サーバーで次のコマンドで最初のユーザーを作成してください: minicc users add <名前>",
        "MiniCC", "サインイン中:", "データベース", "接続できます", "接続できません（通話は継続し、記録はスプールで待機します）", "スプールで待機中の記録",
        "オペレーター", "電話番号", "名前", "状態", "暗証番号", "有効", "無効", "あり", "なし",
        "サインインの試行が多すぎます。しばらくしてからもう一度お試しください。", "約{0}分お待ちください。", "サインイン画面に戻る");
}
