// MiniCC dashboard: fills the tiles and tables from the JSON API and draws the charts with Chart.js.
// Every value is put in with textContent, never as HTML.
(function () {
  "use strict";

  const ja = document.documentElement.lang === "ja";
  const L = (en, jp) => (ja ? jp : en);
  const units = {
    abandonRatePercent: "%", serviceLevelPercent: "%",
    averageSpeedOfAnswerSeconds: L(" s", " 秒"), averageHandleTimeSeconds: L(" s", " 秒"), longestWaitSeconds: L(" s", " 秒"),
    longestCurrentWaitSeconds: L(" s", " 秒"),
  };
  const charts = [];

  function show(el, key, value) {
    el.textContent = value === null || value === undefined ? "—" : String(value) + (units[key] || "");
  }

  function time(iso) {
    // The API gives the interval start with its local offset: show the local clock time as given.
    return iso.substring(5, 16).replace("T", " ");
  }

  function chart(id, type, labels, datasets, options) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    charts.push(new Chart(canvas, { type, data: { labels, datasets }, options: Object.assign({ animation: false, responsive: true }, options || {}) }));
    canvas.dataset.drawn = "true";
  }

  async function report(root) {
    const response = await fetch(root.dataset.api, { credentials: "same-origin" });
    if (!response.ok) return;
    const r = await response.json();
    root.querySelectorAll("[data-metric]").forEach(el => show(el, el.dataset.metric, r[el.dataset.metric]));
    const labels = r.intervals.map(i => time(i.start));
    chart("chart-volume", "bar", labels, [
      { label: L("Offered", "着信"), data: r.intervals.map(i => i.metrics.offered) },
      { label: L("Answered", "応答"), data: r.intervals.map(i => i.metrics.answered) },
      { label: L("Abandoned", "放棄"), data: r.intervals.map(i => i.metrics.abandoned) },
    ]);
    chart("chart-speed", "line", labels, [
      { label: L("Average speed of answer (s)", "平均応答速度（秒）"), data: r.intervals.map(i => i.metrics.averageSpeedOfAnswerSeconds), yAxisID: "y" },
      { label: L("Service level (%)", "サービスレベル（%）"), data: r.intervals.map(i => i.metrics.serviceLevelPercent), yAxisID: "y1" },
    ], { scales: { y: { position: "left" }, y1: { position: "right", min: 0, max: 100 } } });
    chart("chart-staffing", "line", labels, [
      { label: L("Erlang C needed", "Erlang C 必要人数"), data: r.intervals.map(i => i.erlangCAgentsNeeded) },
      { label: L("Signed in", "サインイン中"), data: r.intervals.map(i => i.operatorsSignedIn) },
    ]);
    const body = document.querySelector("#intervals tbody");
    if (body) {
      body.replaceChildren(...r.intervals.map(i => {
        const tr = document.createElement("tr");
        [time(i.start), i.metrics.offered, i.metrics.answered, i.metrics.abandoned, i.metrics.averageSpeedOfAnswerSeconds,
          i.metrics.serviceLevelPercent, i.metrics.averageHandleTimeSeconds, i.erlangCAgentsNeeded, i.operatorsSignedIn].forEach(v => {
          const td = document.createElement("td");
          td.textContent = String(v);
          tr.appendChild(td);
        });
        return tr;
      }));
    }
    const row = (cells) => {
      const tr = document.createElement("tr");
      cells.forEach((v, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        cell.textContent = v === null || v === undefined ? "" : String(v);
        tr.appendChild(cell);
      });
      return tr;
    };
    const days = document.querySelector("#days tbody");
    if (days && r.days) {
      days.replaceChildren(...r.days.map(d => row([d.day, d.metrics.offered, d.metrics.answered, d.metrics.abandoned,
        d.metrics.serviceLevelPercent + "%", d.metrics.averageSpeedOfAnswerSeconds, d.metrics.averageWaitSeconds])));
    }
    const grid = document.querySelector("#weekday-hours tbody");
    if (grid && r.weekdayHours) {
      const names = ja ? ["日", "月", "火", "水", "木", "金", "土"] : ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
      const order = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
      grid.replaceChildren(...order.map((w, i) => row([names[i]].concat(Array.from({ length: 24 }, (_, h) => {
        const cell = r.weekdayHours.find(x => x.weekday === w && x.hour === h);
        return cell ? cell.metrics.offered : "";
      })))));
    }
    document.querySelectorAll("[data-ivr]").forEach(el => { el.textContent = r.ivrChoices ? String(r.ivrChoices[el.dataset.ivr]) : "—"; });
    root.dataset.loaded = "true";
  }

  function pick(obj, path) {
    return path.split(".").reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
  }

  async function wallboard(root) {
    try {
      const response = await fetch(root.dataset.api, { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401 || response.redirected) { location.reload(); return; }
      if (response.ok) {
        const w = await response.json();
        root.querySelectorAll("[data-live]").forEach(el => {
          const key = el.dataset.live;
          if (key === "at") {
            el.textContent = L("Updated ", "更新 ") + new Date(w.at).toLocaleTimeString();
          } else {
            show(el, key.split(".").pop(), pick(w, key));
          }
        });
        root.dataset.updates = String(Number(root.dataset.updates || "0") + 1);
      }
    } finally {
      setTimeout(() => wallboard(root), Number(root.dataset.every || "3000"));
    }
  }

  const reportRoot = document.getElementById("report");
  if (reportRoot) report(reportRoot);
  const board = document.getElementById("wallboard");
  if (board) wallboard(board);
})();
