# Turns run.sh's measurements into the Markdown report, each figure beside issue #10's target.
# Input (tab-separated): runs.tsv, landed.tsv, coldstart.tsv, spool.tsv; see run.sh for the columns.

function commas(n,   s, out) {
  s = sprintf("%.0f", n); out = ""
  while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
  return s out
}
function ms(us) { return sprintf(us < 10000 ? "%.1f" : "%.0f", us / 1000) }
function mark(ok) { return ok ? " ✓" : " ✗" }
function title(db) { return db == "sqlite" ? "SQLite" : db == "mysql" ? "MariaDB" : "PostgreSQL" }
# A target's tally: how many rows met it, and its worst figure.
function tally(t, ok, value, where, lower_is_worse) {
  n[t]++; if (ok) met[t]++
  if (!(t in worst) || (lower_is_worse ? value < worst[t] : value > worst[t])) { worst[t] = value; worstAt[t] = where }
}
function verdict(t, label, unit) {
  if (!(t in n)) return
  printf "- %s: %s (%d of %d); worst %s%s (%s)\n", label, met[t] == n[t] ? "**met**" : "**not met**", met[t] + 0, n[t],
    unit == " req/s" ? commas(worst[t]) : worst[t], unit, worstAt[t]
}

BEGIN {
  OFS = ""
  split(php, pairs, " "); for (i in pairs) { split(pairs[i], kv, "="); PHP[kv[1]] = kv[2] }
  split(kinds, pairs, " "); for (i in pairs) { split(pairs[i], kv, "="); KIND[kv[1]] = kv[2] }
}

FILENAME ~ /runs\.tsv$/ {
  key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
  runOf[key] = $6; req[key] = $7; bad[key] = $8; sock[key] = $9 + $10; dur[key] = $11
  p50[key] = $12; p99[key] = $13; hwm[key] = $16; cpu[key] = $17; dbcpu[key] = $18; spoolAfter[key] = $19; spoolBefore[key] = $20
  # Every run, warm-ups too, must have its rows: tallied per system.
  allRuns[$1 SUBSEP $5 SUBSEP $6] = $3; answeredOf[$1 SUBSEP $5 SUBSEP $6] = $7 - $8
  next
}
FILENAME ~ /landed\.tsv$/ { rows[$1 SUBSEP $2 SUBSEP $3 SUBSEP $4] = $5; next }
FILENAME ~ /coldstart\.tsv$/ { cold[$1, ++coldN[$1]] = $2; next }
FILENAME ~ /spool\.tsv$/ { leftInSpool[$1] = $2; lost[$1] = $3; next }

END {
  printf "## Webhooks (`bench/webhooks/run.sh`), %s\n\n", date
  printf "Machine: %s. %s.\n\n", machine, versions
  printf "```bash\n%s\n```\n\n", command
  printf "wrk -t2 at %s connections, %s s per run after a %s s warm-up of each endpoint and system; every request is a new call (a unique `CallSid`). ", connections, duration, warmup
  printf "MiniCC and the naive endpoint (`bench/MiniCC.NaiveWebhook`: one form parse and one INSERT per request) both published ReadyToRun (Release), run at the same time on fresh databases of the same server, "
  printf "and are measured one after the other (alternating which goes first) for each endpoint and connection count. "
  printf "Rows landed are counted after MiniCC's spool drained (at most %s s; before each run at most %s s). ", finalDrain, drainWait
  printf "*spool N → M*: MiniCC's spool backlog at the start and the end of the run (a webhook whose write misses the 2 s bound, or comes while the database is deemed slow, is spooled, answered, and replayed later); on a naive row, MiniCC was replaying its spool meanwhile, taking CPU from the naive endpoint. "
  printf "CPU: the server process's user + system time per request (and the database server's). wrk, the servers and the databases share the machine: compare ratios, not absolute figures. "
  printf "✓/✗: issue #10's target for that figure.\n\n"
  nd = split(databases, dbs, " "); ne = split(endpoints, eps, " "); nc = split(connections, cs, " ")
  for (d = 1; d <= nd; d++) {
    db = dbs[d]; server = db != "sqlite"; phpTarget = server ? 5 : 10
    printf "### %s\n\n", title(db)
    printf "| endpoint | conns | MiniCC req/s | naive req/s | MiniCC ÷ naive (≥ 1.5) | MiniCC ÷ PHP (≥ %d) | p50 / p99 ms MiniCC | p50 / p99 ms naive | rows landed / answered MiniCC | naive | peak RSS MB MiniCC / naive (≤ 150 at 256) | CPU µs/request MiniCC / naive%s |\n", phpTarget, server ? " (+ database server)" : ""
    printf "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    for (e = 1; e <= ne; e++) for (c = 1; c <= nc; c++) {
      ep = eps[e]; cc = cs[c]; where = title(db) " " ep " c" cc
      m = db SUBSEP "measured" SUBSEP ep SUBSEP cc SUBSEP "minicc"; v = db SUBSEP "measured" SUBSEP ep SUBSEP cc SUBSEP "naive"
      if (!(m in req) || !(v in req)) continue
      mr = req[m] / dur[m] * 1e6; vr = req[v] / dur[v] * 1e6; ratio = mr / vr
      tally("naive", ratio >= 1.5, sprintf("%.2f", ratio) + 0, where, 1)
      if (ep in PHP) {
        x = mr / PHP[ep]; phpCell = sprintf(x < 1 ? "%.2f×" : "%.1f×", x) mark(x >= phpTarget)
        tally(server ? "phpServer" : "phpSqlite", x >= phpTarget, sprintf(x < 1 ? "%.2f" : "%.1f", x) + 0, where, 1)
        if (!server && (ep == "incoming" || ep == "queue-exit")) tally("25k", mr >= 25000, sprintf("%.0f", mr) + 0, where, 1)
      } else phpCell = "—"
      p99Cell = ms(p99[m])
      if (!server && cc == 64) { p99Cell = p99Cell mark(p99[m] <= 10000); tally("p99", p99[m] <= 10000, ms(p99[m]) + 0, where, 0) }
      rssCell = sprintf("%.0f", hwm[m] / 1024)
      if (cc == 256) { rssCell = rssCell mark(hwm[m] <= 150 * 1024); tally("rss", hwm[m] <= 150 * 1024, int(hwm[m] / 1024), where, 0) }
      cpuCell = sprintf("%.0f", cpu[m] * 1e6 / clk / req[m]) (server ? sprintf(" (+ %.0f)", dbcpu[m] * 1e6 / clk / req[m]) : "") " / " \
                sprintf("%.0f", cpu[v] * 1e6 / clk / req[v]) (server ? sprintf(" (+ %.0f)", dbcpu[v] * 1e6 / clk / req[v]) : "")
      printf "| %s | %s | %s | %s | %.2f×%s | %s | %s / %s | %s / %s | %s | %s | %s / %.0f | %s |\n", ep, cc, commas(mr), commas(vr),
        ratio, mark(ratio >= 1.5), phpCell, ms(p50[m]), p99Cell, ms(p50[v]), ms(p99[v]),
        landedCell(db, "minicc", m, ep), landedCell(db, "naive", v, ep), rssCell, hwm[v] / 1024, cpuCell
    }
    printf "\n"
  }
  # Every run, warm-ups included.
  for (k in allRuns) {
    split(k, p, SUBSEP); got = rows[p[1] SUBSEP p[2] SUBSEP p[3] SUBSEP (p[2] == "minicc" ? KIND[allRuns[k]] : allRuns[k])] + 0
    answered[p[2]] += answeredOf[k]; landed[p[2]] += got; if (got < answeredOf[k]) missing[p[2]] += answeredOf[k] - got
  }
  if ("new" in coldN || "existing" in coldN) {
    printf "### Cold start to the first answered webhook (SQLite)\n\n"
    printf "From the process's start (`minicc` published ReadyToRun, Development) to the first 200 on `/voice/incoming`; curl probes about every 25 ms, so a figure may be up to that late.\n\n"
    printf "| database | starts | min ms | median ms (≤ 300) | max ms |\n|---|--:|--:|--:|--:|\n"
    coldRow("new", "new (schema created)"); coldRow("existing", "existing (a restart)")
    printf "\n"
  }
  printf "### Against issue #10's targets\n\n"
  verdict("phpSqlite", "every webhook ≥ 10× the PHP original on SQLite", "×")
  verdict("25k", "≥ 25,000 req/s on incoming and queue-exit on SQLite (quiet machine)", " req/s")
  verdict("phpServer", "every webhook ≥ 5× the PHP original on MariaDB and PostgreSQL", "×")
  verdict("naive", "≥ 1.5× the naive endpoint in the same run", "×")
  verdict("p99", "p99 ≤ 10 ms at 64 connections on SQLite", " ms")
  verdict("rss", "RSS ≤ 150 MB under the 256-connection load", " MB")
  for (s = 1; s <= 2; s++) {
    sys = s == 1 ? "minicc" : "naive"
    if (sys in answered) printf "- zero answered requests missing (%s, all runs including warm-ups): %s; %s rows landed for %s answered\n", \
      sys == "minicc" ? "MiniCC" : "naive", missing[sys] ? "**not met**, " commas(missing[sys]) " missing" : "**met**", commas(landed[sys]), commas(answered[sys])
  }
  for (d = 1; d <= nd; d++) if (leftInSpool[dbs[d]] + lost[dbs[d]] > 0)
    printf "- %s: %s events were still in MiniCC's spool when the rows were counted (counted missing above; the spool keeps them), %s lost\n", \
      title(dbs[d]), commas(leftInSpool[dbs[d]]), commas(lost[dbs[d]])
  if ("new" in coldN) printf "- cold start to the first answered webhook ≤ 300 ms on SQLite: %s (median %s ms on a new database, %s ms on an existing one)\n", \
    coldMedian["new"] <= 300 && coldMedian["existing"] <= 300 ? "**met**" : "**not met**", coldMedian["new"], coldMedian["existing"]
}

# "landed / answered", with what did not answer 2xx; more rows than answers are requests in flight when wrk stopped.
function landedCell(db, sys, key, ep,   got, ans, s) {
  got = rows[db SUBSEP sys SUBSEP runOf[key] SUBSEP (sys == "minicc" ? KIND[ep] : ep)] + 0
  ans = req[key] - bad[key]
  s = commas(got) " / " commas(ans) mark(got >= ans)
  if (bad[key]) s = s " (" commas(bad[key]) " non-2xx)"
  if (sock[key]) s = s " (" commas(sock[key]) " socket errors)"
  if (spoolBefore[key] + spoolAfter[key] > 0) s = s " (spool " commas(spoolBefore[key]) " → " commas(spoolAfter[key]) ")"
  return s
}

function coldRow(series, label,   i, j, t, k, a) {
  k = coldN[series]; if (!k) return
  for (i = 1; i <= k; i++) a[i] = cold[series, i] + 0
  for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  coldMedian[series] = sprintf("%.0f", k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2) + 0
  printf "| %s | %d | %d | %s%s | %d |\n", label, k, a[1], coldMedian[series], mark(coldMedian[series] <= 300), a[k]
}
