// MiniCC desk: the operator's phone in the browser. Three parts, each knowing only the one before it:
//
//   1. The phone adapter (twilioPhone): the only code that knows the Twilio Voice JavaScript SDK. One small object,
//      documented below; tests put a double of the same shape in its place (window.MiniCCDeskPhone, defined by a script
//      the test adds before this one: pages never load such a script, and the Content-Security-Policy runs only
//      MiniCC's own files).
//   2. The desk: the access token (fetched from the server, renewed before it ends), the words (from the server, in the
//      page's language) and one place where the adapter's events are told to the panels.
//   3. The panels: one function per <section> of the page, each listening to the desk and driving its own elements
//      (the phone's state and errors, the call with its buttons and keypad, an incoming call). A new panel (the
//      operator's state, the caller, the call's disposition) is one more function in the list at the end.
(function () {
  "use strict";

  const root = document.getElementById("desk");
  if (!root) return;
  const data = JSON.parse(document.getElementById("desk-words").textContent);
  /** An error as the adapter reports it: the SDK's TwilioError (code, message), or anything thrown. */
  const failure = (error, call) => ({ code: (error && error.code) || "exception", message: (error && error.message) || String(error), call: !!call });

  /**
   * The phone adapter over the Voice SDK's Device and Call.
   *
   * Methods:
   *   register(token)     makes the Device (first time) and registers it, so that other desks can ring it; resolves once asked
   *   updateToken(token)  gives the Device a renewed token
   *   connect(params)     places a call to the TwiML App with these parameters; no To: the operator loop
   *   disconnect()        hangs up the call
   *   mute(on)            mutes or unmutes the microphone on the call
   *   sendDigits(digits)  sends DTMF on the call (0-9 * #)
   *   accept() / reject() answers or declines the call that is ringing
   *   microphone()        resolves to the browser's microphone permission: "granted", "prompt", "denied" or "unknown"
   *   on(event, handler)  listens to an event
   * Events:
   *   "state"          the Device's state: "unregistered", "registering", "registered", "busy" (on a call), "destroyed"
   *   "error"          { code, message, call }: Twilio's error code (31xxx, 20xxx, 53xxx), or a name for others; call: whether
   *                    a call's (the SDK reports a signaling connection that cannot be opened as the Device's 31000/31005)
   *   "incoming"       { from }: a call is ringing (from: the caller, client:<identity> for another desk)
   *   "incomingEnded"  the ringing call stopped before it was answered (withdrawn, or declined here)
   *   "connected"      { direction: "outgoing" | "incoming", from }: a call is up
   *   "disconnected"   the call has ended
   *   "muted"          true or false, as the call reports it
   *   "microphone"     the permission changed ("granted", "prompt", "denied")
   *   "tokenWillExpire" the token ends soon: give a new one with updateToken
   */
  function twilioPhone(options) {
    const handlers = {};
    const emit = (event, value) => (handlers[event] || []).forEach(handler => handler(value));
    const failed = (error, call) => emit("error", failure(error, call));
    let device = null;
    let call = null;
    let ringing = null;

    function watch(c, direction) {
      c.on("accept", () => {
        call = c;
        ringing = null;
        emit("state", "busy");
        emit("connected", { direction, from: c.parameters && c.parameters.From });
      });
      c.on("mute", muted => emit("muted", muted));
      c.on("error", error => failed(error, c));
      const ended = () => {
        if (ringing === c) {
          ringing = null;
          emit("incomingEnded");
        }
        if (call === c) {
          call = null;
          emit("disconnected");
          if (device) emit("state", device.state);
        }
      };
      c.on("disconnect", ended);
      c.on("cancel", ended);
      c.on("reject", ended);
    }

    function create(token) {
      // The sounds come from MiniCC (the SDK would fetch them from Twilio's CDN); close protection asks before a page
      // with a call is left.
      const names = ["incoming", "outgoing", "disconnect", "dtmf0", "dtmf1", "dtmf2", "dtmf3", "dtmf4", "dtmf5", "dtmf6", "dtmf7",
        "dtmf8", "dtmf9", "dtmfs", "dtmfh"];
      const sounds = Object.fromEntries(names.map(name => [name, options.sounds + name + ".wav"]));
      device = new Twilio.Device(token, { sounds, closeProtection: options.closeProtection, codecPreferences: ["opus", "pcmu"], appName: "MiniCC" });
      for (const state of ["unregistered", "registering", "registered", "destroyed"]) {
        device.on(state, () => emit("state", call ? "busy" : state));
      }
      device.on("error", (error, c) => failed(error, c));
      device.on("tokenWillExpire", () => emit("tokenWillExpire"));
      device.on("incoming", c => {
        ringing = c;
        watch(c, "incoming");
        emit("incoming", { from: c.parameters.From });
      });
      emit("state", device.state);
    }

    return {
      on(event, handler) { (handlers[event] = handlers[event] || []).push(handler); },
      async register(token) {
        if (!device) create(token);
        else device.updateToken(token);
        if (device.state === "unregistered") device.register().catch(error => failed(error));
      },
      updateToken(token) { if (device) device.updateToken(token); },
      async connect(params) {
        const c = await device.connect({ params: params || {} });
        call = c;
        watch(c, "outgoing");
      },
      disconnect() { if (call) call.disconnect(); },
      mute(on) { if (call) call.mute(on); },
      sendDigits(digits) { if (call) call.sendDigits(digits); },
      accept() { if (ringing) ringing.accept(); },
      reject() { if (ringing) ringing.reject(); },
      async microphone() {
        if (!navigator.permissions || !navigator.permissions.query) return "unknown";
        try {
          const status = await navigator.permissions.query({ name: "microphone" });
          status.onchange = () => emit("microphone", status.state);
          return status.state;
        } catch {
          return "unknown";
        }
      },
    };
  }

  // 2. The desk.
  const words = data.words;
  const say = (key, values) => (words[key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && values[name] != null ? values[name] : ""));
  const listeners = {};
  const desk = {
    phone: (typeof window.MiniCCDeskPhone === "function" ? window.MiniCCDeskPhone : twilioPhone)({
      sounds: root.dataset.sounds, closeProtection: say("closeProtection"),
    }),
    say,
    /** Who a caller is, in words: another desk by its operator's name, anyone else by number. */
    who: from => data.operators[String(from || "").replace(/^client:/, "")] || from || "?",
    /** The error's words: Twilio's code looked up (the phone's own errors first, then any), else the code and the SDK's message. */
    errorText: error => {
      const key = (!error.call && data.errors["phone." + error.code]) || data.errors[error.code];
      return key ? say(key) : say("error.unknown", error);
    },
    on(event, handler) { (listeners[event] = listeners[event] || []).push(handler); },
    /** Tells the panels: the adapter's events, and "problem" (a word key) for what goes wrong outside the phone. */
    tell(event, value) { (listeners[event] || []).forEach(handler => handler(value)); },
  };
  for (const event of ["state", "error", "incoming", "incomingEnded", "connected", "disconnected", "muted", "microphone"]) {
    desk.phone.on(event, value => desk.tell(event, value));
  }

  /** The phone's access token, from the server: at the start, before it ends, and again when Twilio says it has. */
  function tokens() {
    async function fetchToken() {
      let response;
      try {
        response = await fetch(root.dataset.token, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      } catch {
        throw "token.network";
      }
      // A session that has ended is sent to the sign-in page, which fetch follows: HTML, not the token.
      if (response.redirected || !(response.headers.get("Content-Type") || "").includes("json")) throw "token.signedOut";
      if (response.status === 403) throw "token.notOperator";
      if (response.status === 404) throw "token.off";
      if (!response.ok) throw "token.failed";
      return (await response.json()).token;
    }
    // A word key is the token's problem; anything else was thrown by the phone as it took the token.
    const withToken = use => fetchToken().then(use).catch(e => (typeof e === "string" ? desk.tell("problem", e) : desk.tell("error", failure(e))));
    const register = () => withToken(token => desk.phone.register(token));
    desk.phone.on("tokenWillExpire", () => withToken(token => desk.phone.updateToken(token)));
    // An expired token (the computer slept past its renewal) is replaced and the phone registered again; but a token
    // refused as expired just after it was made means the server's clock is wrong, and a new one would be refused too.
    let renewed = 0;
    desk.on("error", error => {
      if (error.code !== 20104 && error.code !== 31205) return;
      if (Date.now() - renewed < 60000) {
        desk.tell("problem", "error.clock");
        return;
      }
      renewed = Date.now();
      register();
    });
    register();
  }

  // 3. The panels.
  const $ = id => document.getElementById(id);

  /** The phone: its state and its latest error, in words. */
  function phonePanel() {
    const state = $("phone-state");
    const error = $("phone-error");
    const show = text => { error.textContent = text; };
    desk.on("state", s => {
      root.dataset.phone = s;
      state.textContent = say("state." + s);
      if (s === "registered") show("");
    });
    desk.on("error", e => show(desk.errorText(e)));
    desk.on("problem", key => show(say(key)));
    if (!window.isSecureContext) show(say("insecure"));
  }

  /** The call: go on line (the operator loop), mute, the keypad, hang up. */
  function callPanel() {
    const state = $("call-state");
    const online = $("go-online");
    const mute = $("mute");
    const hangUp = $("hang-up");
    const microphone = $("microphone");
    const digits = $("digits-sent");
    const keys = Array.from(document.querySelectorAll("#keypad button"));
    let phoneReady = false;
    let muted = false;
    let callText = "";

    function show(call, text) {
      root.dataset.call = call;
      state.textContent = text;
      online.disabled = !phoneReady || call !== "idle";
      hangUp.disabled = call !== "connecting" && call !== "connected";
      for (const b of [mute, ...keys]) b.disabled = call !== "connected";
    }
    function setMuted(on) {
      muted = on;
      mute.setAttribute("aria-pressed", String(on));
      root.dataset.muted = String(on);
      if (root.dataset.call === "connected") state.textContent = on ? say("muted") : callText;
    }

    desk.on("state", s => {
      phoneReady = s !== "destroyed";
      if (root.dataset.call === "idle") show("idle", state.textContent);
    });
    desk.on("microphone", permission => { if (permission === "denied") microphone.textContent = say("microphone.denied"); });
    desk.on("connected", c => {
      callText = c.direction === "outgoing" ? say("call.online") : say("call.with", { from: desk.who(c.from) });
      digits.textContent = "";
      show("connected", callText);
      setMuted(false);
      hangUp.focus();
    });
    desk.on("disconnected", () => {
      show("idle", say("call.ended"));
      setMuted(false);
      online.focus();
    });
    desk.on("muted", setMuted);
    desk.on("incoming", () => show("ringing", state.textContent));
    desk.on("incomingEnded", () => { if (root.dataset.call === "ringing") show("idle", state.textContent); });

    online.addEventListener("click", async () => {
      const permission = await desk.phone.microphone();
      if (permission === "denied") {
        microphone.textContent = say("microphone.denied");
        return;
      }
      microphone.textContent = permission === "prompt" ? say("microphone.prompt") : microphone.textContent;
      show("connecting", say("call.connecting"));
      try {
        await desk.phone.connect({});
      } catch (e) {
        show("idle", say("call.idle"));
        desk.tell("error", failure(e, true));
      }
    });
    hangUp.addEventListener("click", () => desk.phone.disconnect());
    mute.addEventListener("click", () => desk.phone.mute(!muted));
    const send = key => {
      desk.phone.sendDigits(key);
      digits.textContent += key;
    };
    for (const b of keys) b.addEventListener("click", () => send(b.dataset.digit));
    // From the keyboard as well: the digit keys while the keypad has the focus.
    $("keypad").addEventListener("keydown", e => {
      if (/^[0-9*#]$/.test(e.key) && root.dataset.call === "connected") {
        e.preventDefault();
        send(e.key);
      }
    });
  }

  /** A call from another desk: who, answer or decline. */
  function incomingPanel() {
    const panel = $("incoming");
    const from = $("incoming-from");
    const accept = $("accept");
    let caller = "";
    desk.on("incoming", c => {
      caller = desk.who(c.from);
      from.textContent = say("call.ringing", { from: caller });
      panel.hidden = false;
      accept.focus();
    });
    const close = () => { panel.hidden = true; };
    desk.on("incomingEnded", () => {
      if (!panel.hidden) $("call-state").textContent = say("call.withdrawn", { from: caller });
      close();
    });
    desk.on("connected", close);
    accept.addEventListener("click", () => { close(); desk.phone.accept(); });
    $("reject").addEventListener("click", () => { close(); desk.phone.reject(); });
  }

  // The panels first, so that they hear the phone from its first event; the token last (it starts the phone). The work
  // panels (desk-work.js, loaded next) join through window.MiniCCDesk: the desk's say, on, tell and phone.
  for (const part of [phonePanel, callPanel, incomingPanel, tokens]) part();
  window.MiniCCDesk = desk;
})();
