// A double of desk.js's phone adapter (see the adapter's documentation there), for the browser tests. The test adds this
// script before the page's own (an init script), so desk.js finds window.MiniCCDeskPhone and uses it in place of the
// Voice SDK; a page served by MiniCC never loads it. The test drives it through window.deskPhone, as Twilio would drive
// the SDK (a call from another desk rings, the call is up, the other side hangs up, an error) — a simulated Twilio such
// as the emulator can drive it the same way — and reads window.deskPhone.log: every call the page made on the adapter.
(function () {
  "use strict";

  const handlers = {};
  const emit = (event, value) => (handlers[event] || []).forEach(handler => handler(value));
  let state = "unregistered";

  const deskPhone = {
    /** [method, argument] for every call the page made, in order: ["register", token], ["sendDigits", "5"], … */
    log: [],
    /** The options the page made the adapter with. */
    options: null,
    /** What microphone() answers: "granted", "prompt", "denied". */
    permission: "granted",
    /** The call that is up: "outgoing", "incoming", or null. */
    call: null,
    /** The call that rings: { from }, or null. */
    ringing: null,

    calls(method) { return this.log.filter(entry => entry[0] === method).map(entry => entry[1]); },
    setState(s) { state = s; emit("state", this.call ? "busy" : s); },
    /** An error, the phone's own or (call: true) the call's. */
    fail(code, message, call) { emit("error", { code, message: message || "", call: !!call }); },
    /** Twilio answered the page's connect(): the call is up. */
    answer() { this.up("outgoing", null); },
    /** Another desk (or anyone) calls this one. */
    ring(from) { this.ringing = { from }; emit("incoming", { from }); },
    /** The caller gave up before the call was answered. */
    withdraw() { if (this.ringing) { this.ringing = null; emit("incomingEnded"); } },
    /** The other side hung up. */
    hangUp() { this.end(); },
    expireSoon() { emit("tokenWillExpire"); },
    setMicrophone(permission) { this.permission = permission; emit("microphone", permission); },

    up(direction, from) {
      this.call = direction;
      emit("state", "busy");
      emit("connected", { direction, from });
    },
    end() {
      if (!this.call) return;
      this.call = null;
      emit("disconnected");
      emit("state", state);
    },
  };

  window.deskPhone = deskPhone;
  window.MiniCCDeskPhone = function (options) {
    deskPhone.options = options;
    const record = (method, argument) => deskPhone.log.push([method, argument === undefined ? null : argument]);
    return {
      on(event, handler) { (handlers[event] = handlers[event] || []).push(handler); },
      async register(token) { record("register", token); deskPhone.setState("registering"); },
      updateToken(token) { record("updateToken", token); },
      async connect(params) { record("connect", params); },
      disconnect() { record("disconnect"); deskPhone.end(); },
      mute(on) { record("mute", on); if (deskPhone.call) emit("muted", on); },
      sendDigits(digits) { record("sendDigits", digits); },
      accept() {
        record("accept");
        const ringing = deskPhone.ringing;
        deskPhone.ringing = null;
        if (ringing) deskPhone.up("incoming", ringing.from);
      },
      reject() { record("reject"); deskPhone.withdraw(); },
      async microphone() { record("microphone"); return deskPhone.permission; },
    };
  };
})();
