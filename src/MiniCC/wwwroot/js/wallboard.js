// MiniCC wallboard: the server pushes the board, rendered, as a server-sent event whenever the database changes (from any
// MiniCC instance) and every second (so that waits count up). This only swaps it in. The HTML is the server's own rendering
// of the same component the page was drawn with, every text in it encoded there.
(function () {
  "use strict";

  const root = document.getElementById("wallboard");
  if (!root || typeof EventSource === "undefined") return;
  const events = new EventSource(root.dataset.events);
  events.addEventListener("board", (e) => {
    root.innerHTML = e.data;
    root.dataset.updates = String(Number(root.dataset.updates || "0") + 1);
  });
  events.onerror = () => {
    // Closed for good (signed out, or the session expired: the answer was the sign-in page, not events): reload, which
    // goes to sign-in. Otherwise EventSource reconnects by itself.
    if (events.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), 2000);
  };
})();
