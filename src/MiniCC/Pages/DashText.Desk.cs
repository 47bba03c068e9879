namespace MiniCC.Pages;

/// <summary>The desk's words: the page's, the phone script's (handed to it as JSON), and the Operators page's user links.</summary>
internal sealed partial class DashText
{
    public string Desk => T("Desk", "デスク");
    public string DeskNoScript => T("The desk is a phone in the browser: it needs JavaScript.", "デスクはブラウザーで動く電話です。JavaScript を有効にしてください。");

    public string DeskOff => T(
        "The desk is switched off on this MiniCC, so calls cannot be taken in the browser. An administrator switches it on with the setting MiniCC:Desk:Enabled and the four Twilio keys it needs (see the README, “The operator's desk”). Until then, operators take calls on their phones.",
        "この MiniCC ではデスクが無効になっているため、ブラウザーで電話を受けられません。管理者が設定 MiniCC:Desk:Enabled と必要な4つの Twilio のキーを設定すると有効になります（README の「The operator's desk」を参照）。それまでは電話機で応対してください。");

    public string DeskNotLinked(string user) => T(
        $"Your user ({user}) is not an operator, so it cannot take calls here. Ask a manager to link your user to an operator on the Operators page, or on the server: minicc users link {user} --operator <phone number>.",
        $"あなたのユーザー（{user}）はオペレーターに割り当てられていないため、ここでは電話を受けられません。管理者に「オペレーター」ページでユーザーをオペレーターに割り当ててもらうか、サーバーで minicc users link {user} --operator <電話番号> を実行してもらってください。");

    public string DeskOperatorDisabled(string phone) => T(
        $"Your user is the operator {phone}, who is disabled. Ask a manager to enable them: minicc operators enable {phone}.",
        $"あなたのユーザーはオペレーター {phone} ですが、このオペレーターは無効になっています。管理者に有効にしてもらってください（minicc operators enable {phone}）。");

    public string DeskUnreadable => T("Who you are at the desk cannot be read now (the database is not reachable). Reload the page in a moment.",
        "現在デスクの情報を読み込めません（データベースに接続できません）。しばらくしてからページを再読み込みしてください。");

    public string DeskYouAre(string who) => T($"You take calls as {who}.", $"{who} として応対します。");
    public string DeskPhone => T("Phone", "電話機");
    public string DeskStarting => T("Starting the phone…", "電話を準備しています…");
    public string DeskMicrophoneHint => T(
        "When you go on line, the browser asks to use the microphone: choose Allow. Callers hear you through it.",
        "オンラインにすると、ブラウザーがマイクの使用許可を求めます。「許可」を選んでください。お客様にはマイクを通してあなたの声が届きます。");
    public string DeskCall => T("Call", "通話");
    public string DeskNoCall => T("Not on line.", "オンラインではありません。");
    public string DeskGoOnline => T("Go on line", "オンラインにする");
    public string DeskMute => T("Mute", "ミュート");
    public string DeskHangUp => T("Hang up", "切る");
    public string DeskKeypad => T("Keypad", "キーパッド");
    public string DeskDigitsSent => T("Keys sent", "送信したキー");
    public string DeskStar => T("star", "スター");
    public string DeskHash => T("hash", "シャープ");
    public string DeskIncoming => T("Incoming call", "着信");
    public string DeskAccept => T("Answer", "応答する");
    public string DeskReject => T("Decline", "拒否する");

    /// <summary>What desk.js shows, by key: the phone's states, its errors in words (by Twilio's error code), the call's course.</summary>
    public IReadOnlyDictionary<string, string> DeskScriptWords() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["state.unregistered"] = T("Not connected to Twilio: other desks cannot ring you.", "Twilio に接続していません。他のデスクからの着信は受けられません。"),
        ["state.registering"] = T("Connecting to Twilio…", "Twilio に接続しています…"),
        ["state.registered"] = T("Connected to Twilio: ready to go on line.", "Twilio に接続しました。オンラインにできます。"),
        ["state.busy"] = T("On a call.", "通話中です。"),
        ["state.destroyed"] = T("The phone has stopped: reload the page.", "電話が停止しました。ページを再読み込みしてください。"),
        ["call.idle"] = DeskNoCall,
        ["call.connecting"] = T("Going on line…", "オンラインにしています…"),
        ["call.online"] = T("On line: callers are put through to you one after another. Hang up to leave.",
            "オンラインです。お客様が順番につながります。終えるときは「切る」を押してください。"),
        ["call.with"] = T("On a call with {from}.", "{from} と通話中です。"),
        ["call.ended"] = T("The call has ended.", "通話が終了しました。"),
        ["call.ringing"] = T("{from} is calling.", "{from} から着信しています。"),
        ["call.withdrawn"] = T("{from} stopped calling.", "{from} からの着信は終了しました。"),
        ["mute"] = DeskMute,
        ["muted"] = T("Muted: the other side cannot hear you.", "ミュート中です。相手にあなたの声は聞こえません。"),
        ["microphone.prompt"] = T("The browser now asks to use the microphone: choose Allow.", "ブラウザーがマイクの使用許可を求めています。「許可」を選んでください。"),
        ["microphone.denied"] = T(
            "The browser blocks the microphone for this site. Allow it (the icon at the left of the address bar, then Microphone: Allow), then go on line again.",
            "ブラウザーがこのサイトのマイクをブロックしています。アドレスバー左のアイコンからマイクを「許可」にして、もう一度オンラインにしてください。"),
        ["insecure"] = T("The desk needs an https address: browsers give the microphone only to secure pages. Open MiniCC at its https address.",
            "デスクには https のアドレスが必要です（ブラウザーは安全なページにしかマイクを使わせません）。MiniCC を https のアドレスで開いてください。"),
        ["closeProtection"] = T("A call is in progress: leaving this page ends it.", "通話中です。このページを離れると通話が切れます。"),
        ["token.signedOut"] = T("Your sign-in has ended: reload the page and sign in again.", "サインインの有効期限が切れました。ページを再読み込みしてサインインし直してください。"),
        ["token.notOperator"] = T("You are no longer an active operator: ask a manager.", "あなたは現在有効なオペレーターではありません。管理者に確認してください。"),
        ["token.off"] = DeskOff,
        ["token.failed"] = T("MiniCC could not give the phone its access token. Reload the page in a moment.",
            "電話用のアクセストークンを取得できませんでした。しばらくしてからページを再読み込みしてください。"),
        ["token.network"] = T("MiniCC cannot be reached: check the network connection.", "MiniCC に接続できません。ネットワーク接続を確認してください。"),
        ["error.unknown"] = T("The phone reported an error ({code}: {message}).", "電話でエラーが発生しました（{code}: {message}）。"),
        ["error.tokenInvalid"] = T(
            "Twilio refused the desk's access token: the Twilio keys on the server (Twilio:AccountSid, ApiKeySid, ApiKeySecret) are probably wrong. Tell the administrator.",
            "Twilio がデスクのアクセストークンを拒否しました。サーバーの Twilio のキー（Twilio:AccountSid、ApiKeySid、ApiKeySecret）が誤っている可能性があります。管理者に連絡してください。"),
        ["error.tokenExpired"] = T("The phone's access token expired; getting a new one…", "アクセストークンの有効期限が切れました。新しいトークンを取得しています…"),
        ["error.clock"] = T("Twilio says the phone's new access token has already expired: the server's clock is probably wrong. Tell the administrator.",
            "Twilio によると、取得したばかりのアクセストークンが期限切れです。サーバーの時計がずれている可能性があります。管理者に連絡してください。"),
        ["error.tokenTooLong"] = T("Twilio refused the access token's lifetime (over 24 hours): MiniCC:Desk:TokenTtlMinutes must be at most 1440.",
            "アクセストークンの有効期間が長すぎます（24時間超）。MiniCC:Desk:TokenTtlMinutes は 1440 以下にしてください。"),
        ["error.account"] = T("Twilio refused the account (not found, suspended or not allowed): tell the administrator.",
            "Twilio がアカウントを拒否しました（存在しない、停止中、または権限がありません）。管理者に連絡してください。"),
        ["error.app"] = T("Twilio does not know the desk's TwiML App (Twilio:TwimlAppSid): tell the administrator.",
            "Twilio にデスクの TwiML App（Twilio:TwimlAppSid）が見つかりません。管理者に連絡してください。"),
        ["error.unreachable"] = T(
            "Twilio cannot be reached: check the network connection (a firewall must let the browser open wss://voice-js.roaming.twilio.com). The phone keeps trying.",
            "Twilio に接続できません。ネットワーク接続を確認してください（ファイアウォールで wss://voice-js.roaming.twilio.com への接続を許可する必要があります）。電話は接続を試み続けます。"),
        ["error.networkLost"] = T("The connection to Twilio was lost; the phone reconnects by itself.", "Twilio との接続が切れました。自動的に再接続します。"),
        ["error.media"] = T("The call's sound could not be connected (a firewall may block WebRTC to Twilio). Try again, or use another network.",
            "通話の音声を接続できませんでした（ファイアウォールが Twilio への WebRTC をブロックしている可能性があります）。もう一度試すか、別のネットワークを使ってください。"),
        ["error.microphoneBlocked"] = T(
            "The browser blocks the microphone for this site. Allow it (the icon at the left of the address bar, then Microphone: Allow), then go on line again.",
            "ブラウザーがこのサイトのマイクをブロックしています。アドレスバー左のアイコンからマイクを「許可」にして、もう一度オンラインにしてください。"),
        ["error.microphoneFailed"] = T("No microphone could be opened: check that one is connected and not in use by another program.",
            "マイクを使用できません。マイクが接続されていて、他のプログラムが使っていないか確認してください。"),
        ["error.busy"] = T("The other side is busy.", "相手は話し中です。"),
        ["error.unavailable"] = T("The other side cannot take the call now.", "相手は現在応答できません。"),
        ["error.declined"] = T("The call was declined.", "通話は拒否されました。"),
        ["error.timeout"] = T("Twilio did not answer in time. Try again.", "Twilio から時間内に応答がありませんでした。もう一度試してください。"),
        ["error.dropped"] = T("The call was cut off by a connection error.", "接続エラーで通話が切れました。"),
        ["error.cancelled"] = T("The call ended before it could be answered.", "応答する前に通話が終了しました。"),
        ["error.rate"] = T("Too many requests to Twilio: wait a moment and try again.", "Twilio へのリクエストが多すぎます。少し待ってからもう一度試してください。"),
    };

    /// <summary>
    /// Which words (above) tell each of Twilio's error codes (the SDK's @twilio/voice-errors); an unlisted code shows as
    /// itself. <c>phone.</c> codes are the Device's own, outside a call: with no way to Twilio the SDK reports its signaling
    /// WebSocket's failure as 31000 and 31005 (seen in Chromium with no network), which in a call mean something else.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DeskErrorWords { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["phone.31000"] = "error.unreachable", ["phone.31005"] = "error.unreachable",
        ["20101"] = "error.tokenInvalid", ["20151"] = "error.tokenInvalid", ["31202"] = "error.tokenInvalid", ["31204"] = "error.tokenInvalid",
        ["20104"] = "error.tokenExpired", ["31205"] = "error.tokenExpired", ["31207"] = "error.tokenTooLong",
        ["31201"] = "error.account", ["31203"] = "error.account", ["31001"] = "error.app",
        ["31009"] = "error.unreachable", ["53000"] = "error.unreachable", ["53001"] = "error.networkLost",
        ["53400"] = "error.media", ["53402"] = "error.media", ["53405"] = "error.media",
        ["31401"] = "error.microphoneBlocked", ["31402"] = "error.microphoneFailed",
        ["31486"] = "error.busy", ["31480"] = "error.unavailable", ["31603"] = "error.declined", ["31002"] = "error.declined",
        ["31003"] = "error.timeout", ["31005"] = "error.dropped", ["31008"] = "error.cancelled", ["31206"] = "error.rate",
    };

    /// <summary>An operator as the desk names them: name and number, or the number alone.</summary>
    public static string OperatorLabel(string phone, string? name) => string.IsNullOrEmpty(name) ? phone : $"{name} ({phone})";

    public string UsersTitle => T("Users at the desk", "デスクのユーザー");
    public string UsersIntro => T(
        "A user who is an operator takes that operator's calls in the browser, at the desk. Link a user to an operator, or unlink them.",
        "オペレーターに割り当てられたユーザーは、デスク（ブラウザー）でそのオペレーターとして電話を受けます。ユーザーをオペレーターに割り当てたり、割り当てを解除したりできます。");
    public string User => T("User", "ユーザー");
    public string OperatorColumn => T("Operator", "オペレーター");
    public string NoOperator => T("(none)", "（なし）");
    public string NoUsers => T("No users yet: add one with minicc users add.", "ユーザーはまだいません。minicc users add で追加してください。");
    public string Link => T("Link", "割り当てる");
    public string Unlink => T("Unlink", "解除");
    public string UnlinkUser(string user) => T($"Unlink {user}", $"{user} の割り当てを解除");
    public string Linked(string user, string op) => T($"{user} is now the operator {op}.", $"{user} をオペレーター {op} に割り当てました。");
    public string Unlinked(string user) => T($"{user} is no operator now.", $"{user} のオペレーターへの割り当てを解除しました。");
    public string NoSuchUser(string user) => T($"There is no user “{user}”: choose one from the list.", $"ユーザー「{user}」は存在しません。一覧から選んでください。");
    public string NoSuchOperatorChosen(string op) => T($"There is no operator “{op}”: choose one from the list.", $"オペレーター「{op}」は存在しません。一覧から選んでください。");
    public string UsersUnreadable => T("The users cannot be read now (the database is not reachable).", "現在ユーザーを読み込めません（データベースに接続できません）。");
}
