// MiniCC charts: drawn with Chart.js from the report API. The numbers themselves are in the page (rendered on the
// server); this only draws. Every interval of the range up to now is in the API, with zeros where nothing happened,
// so the x axis is a time axis with even steps. Labels are in the page's language and the report's time zone.
(function () {
  "use strict";

  const lang = document.documentElement.lang || "en";
  const ja = lang === "ja";
  const L = (en, jp) => (ja ? jp : en);

  function chart(id, type, labels, datasets, options) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    new Chart(canvas, { type, data: { labels, datasets }, options: Object.assign({ animation: false, responsive: true }, options || {}) });
    canvas.dataset.drawn = "true";
  }

  async function draw(root) {
    const response = await fetch(root.dataset.api, { credentials: "same-origin" });
    if (!response.ok) return;
    const r = await response.json();
    const format = new Intl.DateTimeFormat(lang, {
      timeZone: r.timeZone, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: !ja,
    });
    // Speed and service level have no value where no call came (a gap, not a zero); volumes are zero there.
    const labels = r.intervals.map(i => format.format(new Date(i.start)));
    chart("chart-volume", "bar", labels, [
      { label: L("Offered", "着信"), data: r.intervals.map(i => i.metrics.offered) },
      { label: L("Answered", "応答"), data: r.intervals.map(i => i.metrics.answered) },
      { label: L("Abandoned", "放棄"), data: r.intervals.map(i => i.metrics.abandoned) },
    ]);
    chart("chart-speed", "line", labels, [
      { label: L("Average speed of answer (s)", "平均応答速度（秒）"), data: r.intervals.map(i => (i.metrics.answered ? i.metrics.averageSpeedOfAnswerSeconds : null)), yAxisID: "y" },
      { label: L("Service level (%)", "サービスレベル（%）"), data: r.intervals.map(i => (i.metrics.offered ? i.metrics.serviceLevelPercent : null)), yAxisID: "y1" },
    ], { scales: { y: { position: "left", min: 0 }, y1: { position: "right", min: 0, max: 100 } } });
    chart("chart-staffing", "line", labels, [
      { label: L("Erlang C needed", "Erlang C 必要人数"), data: r.intervals.map(i => i.erlangCAgentsNeeded), stepped: true },
      { label: L("Signed in", "サインイン中"), data: r.intervals.map(i => i.operatorsSignedIn), stepped: true },
    ], { scales: { y: { min: 0 } } });
    root.dataset.intervals = String(r.intervals.length);
    root.dataset.loaded = "true";
  }

  const root = document.getElementById("report");
  if (root) draw(root);
})();
