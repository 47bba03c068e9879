namespace MiniCC.Voice;

/// <summary>The texts of one language, with the settings' overrides applied.</summary>
public sealed record PromptSet
{
    public required string Language { get; init; }
    public required string Voice { get; init; }
    public required string Welcome { get; init; }
    public required string Menu { get; init; }
    public required string Retry { get; init; }
    public required string NoInput { get; init; }
    public required string Connecting { get; init; }
    public required string Information { get; init; }
    public required string InformationEnd { get; init; }
    public required string QueuePosition { get; init; }
    public required string OperatorReady { get; init; }
    public required string Whisper { get; init; }
    public required string ThankYou { get; init; }
    public required string QueueFull { get; init; }
    public required string Trouble { get; init; }
    public required string PinPrompt { get; init; }
    public required string PinWrong { get; init; }
    public required string PinLocked { get; init; }
    public required string PinLockedOut { get; init; }
    public required string DeskOnly { get; init; }
    public required string CallOutRefused { get; init; }
    public required string WrapUp { get; init; }
    public required string OnBreak { get; init; }
    public required string AutoPaused { get; init; }
    public required string BreakChoice { get; init; }
    public required string BreakOption { get; init; }
    public required string CallbackOffer { get; init; }
    public required string VoicemailOffer { get; init; }
    public required string CallbackConfirm { get; init; }
    public required string CallbackKeyIn { get; init; }
    public required string CallbackNotANumber { get; init; }
    public required string CallbackAccepted { get; init; }
    public required string CallbackAlready { get; init; }
    public required string CallbackToOperator { get; init; }
    public required string CallbackGreeting { get; init; }
    public required string NoOperator { get; init; }
    public required string NoOperatorCallback { get; init; }
    public required string NoOperatorVoicemail { get; init; }
    public required string MaxWait { get; init; }

    // Opening hours (MiniCC:Hours): what a customer who calls while the center is closed hears.
    public required string Closed { get; init; }
    public required string NextOpening { get; init; }
    public required string VoicemailPrompt { get; init; }
    public required string VoicemailThanks { get; init; }
    public required string VoicemailNothing { get; init; }
    public required string VoicemailOff { get; init; }

    // The estimated wait, said after the place in line (WaitEstimator): {0} is a number of minutes.
    public required string WaitLessThanAMinute { get; init; }
    public required string WaitAboutAMinute { get; init; }
    public required string WaitAboutMinutes { get; init; }
    public required string WaitMoreThanMinutes { get; init; }

    // A queue that records its conversations (MiniCC:Queues:N:Record) says so before the caller is queued.
    public required string RecordingNotice { get; init; }

    public static IEnumerable<string> Languages => Builtin.Keys;

    public static PromptSet? Find(string? language) =>
        language is not null && Builtin.TryGetValue(language, out var set) ? set : null;

    /// <summary>The built-in set for the configured language, with every non-empty override applied.</summary>
    public static PromptSet From(VoiceOptions options)
    {
        var b = Find(options.Language) ?? throw new InvalidOperationException($"Unknown language {options.Language}.");
        var p = options.Prompts;
        static string Pick(string? over, string builtin) => string.IsNullOrWhiteSpace(over) ? builtin : over;
        return b with
        {
            Voice = Pick(options.Voice, b.Voice),
            Welcome = Pick(p.Welcome, b.Welcome),
            Menu = Pick(p.Menu, b.Menu),
            Retry = Pick(p.Retry, b.Retry),
            NoInput = Pick(p.NoInput, b.NoInput),
            Connecting = Pick(p.Connecting, b.Connecting),
            Information = Pick(p.Information, b.Information),
            InformationEnd = Pick(p.InformationEnd, b.InformationEnd),
            QueuePosition = Pick(p.QueuePosition, b.QueuePosition),
            OperatorReady = Pick(p.OperatorReady, b.OperatorReady),
            Whisper = Pick(p.Whisper, b.Whisper),
            ThankYou = Pick(p.ThankYou, b.ThankYou),
            QueueFull = Pick(p.QueueFull, b.QueueFull),
            Trouble = Pick(p.Trouble, b.Trouble),
            PinPrompt = Pick(p.PinPrompt, b.PinPrompt),
            PinWrong = Pick(p.PinWrong, b.PinWrong),
            PinLocked = Pick(p.PinLocked, b.PinLocked),
            PinLockedOut = Pick(p.PinLockedOut, b.PinLockedOut),
            DeskOnly = Pick(p.DeskOnly, b.DeskOnly),
            CallOutRefused = Pick(p.CallOutRefused, b.CallOutRefused),
            WrapUp = Pick(p.WrapUp, b.WrapUp),
            OnBreak = Pick(p.OnBreak, b.OnBreak),
            AutoPaused = Pick(p.AutoPaused, b.AutoPaused),
            BreakChoice = Pick(p.BreakChoice, b.BreakChoice),
            BreakOption = Pick(p.BreakOption, b.BreakOption),
            CallbackOffer = Pick(p.CallbackOffer, b.CallbackOffer),
            VoicemailOffer = Pick(p.VoicemailOffer, b.VoicemailOffer),
            CallbackConfirm = Pick(p.CallbackConfirm, b.CallbackConfirm),
            CallbackKeyIn = Pick(p.CallbackKeyIn, b.CallbackKeyIn),
            CallbackNotANumber = Pick(p.CallbackNotANumber, b.CallbackNotANumber),
            CallbackAccepted = Pick(p.CallbackAccepted, b.CallbackAccepted),
            CallbackAlready = Pick(p.CallbackAlready, b.CallbackAlready),
            CallbackToOperator = Pick(p.CallbackToOperator, b.CallbackToOperator),
            CallbackGreeting = Pick(p.CallbackGreeting, b.CallbackGreeting),
            NoOperator = Pick(p.NoOperator, b.NoOperator),
            NoOperatorCallback = Pick(p.NoOperatorCallback, b.NoOperatorCallback),
            NoOperatorVoicemail = Pick(p.NoOperatorVoicemail, b.NoOperatorVoicemail),
            MaxWait = Pick(p.MaxWait, b.MaxWait),
            Closed = Pick(p.Closed, b.Closed),
            NextOpening = Pick(p.NextOpening, b.NextOpening),
            VoicemailPrompt = Pick(p.VoicemailPrompt, b.VoicemailPrompt),
            VoicemailThanks = Pick(p.VoicemailThanks, b.VoicemailThanks),
            VoicemailNothing = Pick(p.VoicemailNothing, b.VoicemailNothing),
            VoicemailOff = Pick(p.VoicemailOff, b.VoicemailOff),
            WaitLessThanAMinute = Pick(p.WaitLessThanAMinute, b.WaitLessThanAMinute),
            WaitAboutAMinute = Pick(p.WaitAboutAMinute, b.WaitAboutAMinute),
            WaitAboutMinutes = Pick(p.WaitAboutMinutes, b.WaitAboutMinutes),
            WaitMoreThanMinutes = Pick(p.WaitMoreThanMinutes, b.WaitMoreThanMinutes),
            RecordingNotice = Pick(p.RecordingNotice, b.RecordingNotice),
        };
    }

    private static readonly Dictionary<string, PromptSet> Builtin = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ja-JP"] = new PromptSet
        {
            Language = "ja-JP",
            Voice = "Polly.Mizuki",
            Welcome = "お電話ありがとうございます。ミニコールセンターでございます。",
            Menu = "オペレーターとのお話をご希望の方は1を、製品のご案内をお聞きになる方は2を押してください。",
            Retry = "恐れ入りますが、もう一度番号をお選びください。",
            NoInput = "番号の入力が確認できませんでしたので、オペレーターにおつなぎします。そのままお待ちください。",
            Connecting = "オペレーターにおつなぎします。そのままお待ちください。",
            Information = "製品のご案内です。最新の製品情報は、ホームページでもご覧いただけます。詳しくはオペレーターまでお問い合わせください。",
            InformationEnd = "お電話ありがとうございました。",
            QueuePosition = "大変お待たせしております。お客様の順番は、{0}番目です。",
            OperatorReady = "受付を開始します。お客様をおつなぎします。休憩するときは9を押してください。",
            Whisper = "お待たせいたしました。オペレーターにおつなぎします。",
            ThankYou = "お電話ありがとうございました。",
            QueueFull = "ただいま電話が大変混み合っております。恐れ入りますが、時間をおいておかけ直しください。",
            Trouble = "ただいまシステムに不具合が発生しております。オペレーターにおつなぎします。",
            PinPrompt = "暗証番号を入力し、最後にシャープを押してください。",
            PinWrong = "暗証番号が違います。",
            PinLocked = "暗証番号を確認できませんでした。お電話を終了します。",
            PinLockedOut = "暗証番号の誤りが続いたため、暗証番号はロックされています。スーパーバイザーにご連絡ください。お電話を終了します。",
            DeskOnly = "この接続はオペレーター専用です。お電話を終了します。",
            CallOutRefused = "この番号への発信は許可されていません。",
            WrapUp = "後処理の時間です。受付を再開するときは1を、休憩するときは9を押してください。",
            OnBreak = "休憩中です。受付を再開するときは1を押してください。",
            AutoPaused = "お客様への応答がない状態が続いたため、休憩に切り替えました。受付を再開するときは1を押してください。",
            BreakChoice = "休憩の理由を番号で選んでください。",
            BreakOption = "{0}番、{1}。",
            CallbackOffer = "順番を保ったまま折り返しのお電話をご希望の方は、アスタリスクを押してください。",
            VoicemailOffer = "メッセージを残される方は、シャープを押してください。",
            CallbackConfirm = "{0} に折り返しお電話します。よろしければ1を、別の番号をご希望の方は2を押してください。",
            CallbackKeyIn = "折り返し先の電話番号を市外局番から入力し、最後にシャープを押してください。",
            CallbackNotANumber = "恐れ入りますが、その番号にはおかけできません。",
            CallbackAccepted = "承りました。順番が来ましたら {0} にお電話いたします。このままお電話をお切りください。",
            CallbackAlready = "折り返しのご依頼はすでに承っております。順番が来ましたらお電話いたします。",
            CallbackToOperator = "折り返しのお電話です。{0} におかけします。",
            CallbackGreeting = "ミニコールセンターです。ご依頼いただいた折り返しのお電話です。オペレーターにおつなぎします。",
            NoOperator = "ただいま対応できるオペレーターがおりません。",
            NoOperatorCallback = "折り返しのお電話をご希望の方は1を押してください。",
            NoOperatorVoicemail = "メッセージを残される方は2を押してください。",
            MaxWait = "大変長らくお待たせしております。",
            Closed = "お電話ありがとうございます。ミニコールセンターでございます。申し訳ございませんが、ただいまの時間は受付を行っておりません。",
            NextOpening = "次の受付は、{0}です。",
            VoicemailPrompt = "お名前とお電話番号、ご用件を、発信音のあとにお話しください。終わりましたらシャープを押してください。",
            VoicemailThanks = "メッセージを承りました。担当者より折り返しご連絡いたします。お電話ありがとうございました。",
            VoicemailNothing = "メッセージを確認できませんでした。恐れ入りますが、あらためておかけ直しください。",
            VoicemailOff = "ただいまメッセージをお預かりできません。恐れ入りますが、あらためておかけ直しください。お電話ありがとうございました。",
            WaitLessThanAMinute = "お待ちいただく時間は、1分以内の見込みです。",
            WaitAboutAMinute = "お待ちいただく時間は、およそ1分の見込みです。",
            WaitAboutMinutes = "お待ちいただく時間は、およそ{0}分の見込みです。",
            WaitMoreThanMinutes = "お待ちいただく時間は、{0}分以上の見込みです。",
            RecordingNotice = "サービス向上のため、この通話は録音させていただきます。",
        },
        ["en-US"] = new PromptSet
        {
            Language = "en-US",
            Voice = "Polly.Joanna",
            Welcome = "Thank you for calling Mini Call Center.",
            Menu = "To speak to an operator, press 1. For product information, press 2.",
            Retry = "Sorry, that is not an option. Please choose again.",
            NoInput = "We did not receive a choice, so we are connecting you to an operator. Please hold.",
            Connecting = "Connecting you to an operator. Please hold.",
            Information = "Here is our product information. Our latest products are listed on our website. For details, please ask an operator.",
            InformationEnd = "Thank you for calling. Goodbye.",
            QueuePosition = "Thank you for waiting. You are number {0} in line.",
            OperatorReady = "You are ready to take calls. For a break, press 9.",
            Whisper = "Thank you for waiting. Connecting you to an operator now.",
            ThankYou = "Thank you for calling. Goodbye.",
            QueueFull = "All our lines are busy right now. Please call again later.",
            Trouble = "We are having technical trouble. Connecting you to an operator.",
            PinPrompt = "Please enter your PIN, then press the pound key.",
            PinWrong = "That PIN is not correct.",
            PinLocked = "Your PIN could not be verified. Goodbye.",
            PinLockedOut = "Your PIN is locked after too many wrong attempts. Please contact your supervisor. Goodbye.",
            DeskOnly = "This line is for operators only. Goodbye.",
            CallOutRefused = "Calls to this number are not allowed.",
            WrapUp = "After-call work. To take calls again, press 1. For a break, press 9.",
            OnBreak = "You are on a break. To take calls again, press 1.",
            AutoPaused = "You missed several callers, so you are now on a break. To take calls again, press 1.",
            BreakChoice = "Choose the reason for your break.",
            BreakOption = "For {1}, press {0}.",
            CallbackOffer = "To be called back without losing your place in line, press star.",
            VoicemailOffer = "To leave a message instead, press pound.",
            CallbackConfirm = "We will call you back at {0}. To confirm, press 1. To use another number, press 2.",
            CallbackKeyIn = "Please enter the number to call you back on, starting with the area code, then press pound.",
            CallbackNotANumber = "Sorry, we cannot call that number.",
            CallbackAccepted = "Thank you. When it is your turn, we will call you back at {0}. You may hang up now.",
            CallbackAlready = "We already have your request to be called back. We will call you when it is your turn.",
            CallbackToOperator = "Callback to {0}.",
            CallbackGreeting = "This is Mini Call Center, returning your call as you asked. Connecting you to an operator.",
            NoOperator = "No operator is available right now.",
            NoOperatorCallback = "To be called back, press 1.",
            NoOperatorVoicemail = "To leave a message, press 2.",
            MaxWait = "We are sorry to keep you waiting so long.",
            Closed = "Thank you for calling Mini Call Center. We are sorry, but we are closed now.",
            NextOpening = "We will be open again {0}.",
            VoicemailPrompt = "Please leave your name, your phone number and your message after the beep. Press the pound key when you have finished.",
            VoicemailThanks = "Thank you. We have your message and will call you back.",
            VoicemailNothing = "We did not receive a message. Please call again later.",
            VoicemailOff = "We cannot take messages right now. Please call again later. Thank you for calling.",
            WaitLessThanAMinute = "Your wait should be less than a minute.",
            WaitAboutAMinute = "Your expected wait is about one minute.",
            WaitAboutMinutes = "Your expected wait is about {0} minutes.",
            WaitMoreThanMinutes = "Your expected wait is more than {0} minutes.",
            RecordingNotice = "This call will be recorded to help us improve our service.",
        },
    };
}
