// MiniCC desk: the operator's work, beside the phone (desk.js, which hands over its desk as window.MiniCCDesk).
//
// The server streams the desk's view (/desk/events, event "desk": the operator's state, the caller they took last and
// the callback they dial); four panels show it: the state with its buttons and the wrap-up timer, the callback ("callback
// to …", instead of the caller while it lasts), the caller (the screen pop), and the call's disposition and note. Everything shown is set as text, never as markup: a note is whatever an operator typed.
(function () {
  "use strict";

  const desk = window.MiniCCDesk;
  const root = document.getElementById("work");
  if (!desk || !root) return;
  const data = JSON.parse(document.getElementById("work-words").textContent);
  const say = (key, values) => (data.words[key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && values[name] != null ? values[name] : ""));
  const $ = id => document.getElementById(id);
  const token = () => document.querySelector("#disposition-form input[name=__RequestVerificationToken]").value;
  const duration = seconds => {
    const s = Math.max(0, Math.floor(seconds || 0));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  };
  const when = iso => new Date(iso).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "short", timeStyle: "short" });
  let view = { state: { state: "offline", onLine: false }, caller: null };

  /** The state, how long it has lasted, the wrap-up timer, and the buttons that may change it now. */
  function statePanel() {
    const text = $("work-state");
    const timer = $("wrap-up-timer");
    const ready = $("ready");
    const takeBreak = $("break");
    const reason = $("break-reason");
    const error = $("work-error");
    let reconnecting = null;

    function render() {
      const s = view.state;
      root.dataset.state = s.state;
      let label = data.states[s.state] || s.state;
      if (s.reason) label += " (" + (data.reasons[s.reason] || s.reason) + ")";
      if (s.since && s.state !== "offline") label += " · " + say("since", { time: duration((Date.now() - Date.parse(s.since)) / 1000) });
      text.textContent = label;
      timer.textContent = s.state === "wrap-up" && s.wrapUpEndsAt
        ? say("wrapUpLeft", { seconds: Math.max(0, Math.ceil((Date.parse(s.wrapUpEndsAt) - Date.now()) / 1000)) })
        : "";
      ready.disabled = !(s.onLine && (s.state === "wrap-up" || s.state === "break"));
      takeBreak.disabled = !(s.onLine && (s.state === "ready" || s.state === "wrap-up" || s.state === "break"));
    }

    async function change(state) {
      error.textContent = "";
      const body = new URLSearchParams({ state });
      if (state === "break") body.set("reason", reason.value);
      let response;
      try {
        response = await fetch(root.dataset.stateUrl, {
          method: "POST", body, credentials: "same-origin", headers: { RequestVerificationToken: token(), Accept: "application/json" },
        });
      } catch {
        error.textContent = say("network");
        return;
      }
      const json = await response.json().catch(() => ({}));
      if (response.ok) {
        view = { ...view, state: json };
        render();
      } else if (response.status === 409 && json.reconnect) {
        // Waiting in the queue: hang up that wait and call again with the break's parameters, so that no caller is
        // handed over during the rest of it. The server starts the break when the new call arrives.
        reconnecting = json.reconnect;
        text.textContent = say("state.reconnecting");
        desk.phone.disconnect();
      } else {
        error.textContent = say(response.status === 409 ? "state.conflict." + (view.state.onLine ? "on-call" : "offline") : "state.failed");
      }
    }

    desk.on("disconnected", () => {
      if (!reconnecting) return;
      const params = reconnecting;
      reconnecting = null;
      desk.phone.connect(params).catch(e => desk.tell("error", { code: (e && e.code) || "exception", message: String(e && e.message || e), call: true }));
    });
    desk.on("view", render);
    ready.addEventListener("click", () => change("ready"));
    takeBreak.addEventListener("click", () => change("break"));
    setInterval(render, 1000);
    render();
  }

  /** Earlier calls of a number, one row each, into the table body <tbody>. */
  function previousRows(body, previous) {
    body.replaceChildren();
    for (const p of previous) {
      const tr = body.insertRow();
      for (const value of [when(p.startedAt), data.results[p.result] || p.result || "—", data.dispositions[p.disposition] || p.disposition || "—", p.note || ""]) {
        tr.insertCell().textContent = value;
      }
    }
    if (previous.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = 4;
      cell.textContent = say("previous.none");
    }
  }

  /** The callback their call dials (instead of the caller): whom, when asked, its place, which attempt, and the number's calls. */
  function callbackPanel() {
    const panel = $("callback");
    desk.on("view", () => {
      const b = view.callback;
      panel.hidden = !b;
      if (!b) return;
      panel.dataset.callback = b.id;
      $("callback-title").textContent = say("callbackTo", { number: b.number });
      $("callback-number").textContent = b.number;
      $("callback-asked").textContent = when(b.askedAt);
      $("callback-place").textContent = when(b.placeAt);
      $("callback-attempt").textContent = String(b.attempt);
      previousRows($("callback-previous"), b.previous);
    });
  }

  /** The caller they took: number, menu choice, wait, abandons today, and their previous calls. */
  function callerPanel() {
    const panel = $("caller");
    desk.on("view", () => {
      const c = view.callback ? null : view.caller;
      panel.hidden = !c;
      if (!c) return;
      panel.dataset.call = c.callSid;
      $("caller-from").textContent = c.from || say("unknownNumber");
      $("caller-choice").textContent = data.choices[c.ivrChoice] || c.ivrChoice || "—";
      $("caller-wait").textContent = duration(c.waitSeconds);
      $("caller-abandoned").textContent = c.abandonedToday > 0 ? say("abandoned.some", { count: c.abandonedToday }) : say("abandoned.none");
      $("caller-abandoned").classList.toggle("warning", c.abandonedToday > 0);
      previousRows($("caller-previous"), c.previous);
    });
  }

  /** The disposition and note of the call they took: saved to the server, which keeps the last one. */
  function dispositionPanel() {
    const panel = $("disposition");
    const form = $("disposition-form");
    const choice = $("disposition-choice");
    const note = $("disposition-note");
    const result = $("disposition-result");
    let shown = null;
    desk.on("view", () => {
      const c = view.callback ? null : view.caller;
      panel.hidden = !c;
      if (!c) return;
      if (shown !== c.callSid) {
        // A new caller: the form is theirs (what was saved for them already, if anything); typing is never overwritten.
        shown = c.callSid;
        choice.value = c.disposition || "";
        note.value = c.note || "";
        result.textContent = "";
      }
      panel.dataset.ended = String(!!c.ended);
      if (c.ended && !result.textContent) result.textContent = say("ended");
    });
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const body = new URLSearchParams({ disposition: choice.value, note: note.value });
      let response;
      try {
        response = await fetch(form.dataset.url.replace("{callSid}", encodeURIComponent(shown)), {
          method: "POST", body, credentials: "same-origin", headers: { RequestVerificationToken: token(), Accept: "application/json" },
        });
      } catch {
        result.textContent = say("network");
        return;
      }
      if (response.status === 204) {
        result.textContent = say("saved");
        root.dataset.saved = shown;
        return;
      }
      const json = await response.json().catch(() => ({}));
      result.textContent = say("saveFailed", { error: json.error || response.status });
    });
  }

  for (const part of [statePanel, callbackPanel, callerPanel, dispositionPanel]) part();
  const events = new EventSource(root.dataset.events);
  events.addEventListener("desk", e => {
    view = JSON.parse(e.data);
    desk.tell("view", view);
  });
})();
