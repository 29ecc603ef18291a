/// The demo's live page, served at `/`: one self-contained HTML document (no
/// external scripts, styles or fonts) that loads `/history`, then polls
/// `/snapshot` and `/health`, and charts the run on canvases.
///
/// After each drawing, every chart's canvas carries `data-points` (the points
/// it drew), `data-max` and `data-nonzero`, and the page's body `data-polls`
/// and `data-state`: what a headless browser test reads back from the DOM.
/// `?interval=ms` changes the poll interval (1000 ms by default).
enum LivePage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>MVX Metrics · live demo</title>
        <style>
        :root {
          --bg: #0d1117; --panel: #151b23; --panel2: #1b222c; --line: #262f3b; --text: #dbe2ea; --muted: #8b98a9;
          --ok: #3ecf8e; --warn: #f5a524; --bad: #f0506e; --blue: #4c9ffe; --violet: #a78bfa; --cyan: #22d3ee;
          --orange: #fb923c; --pink: #f472b6; --slate: #94a3b8;
        }
        * { box-sizing: border-box; }
        html, body { margin: 0; background: var(--bg); color: var(--text); }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
        .num { font-variant-numeric: tabular-nums; }
        header { display: flex; align-items: center; gap: 18px; padding: 14px 24px; border-bottom: 1px solid var(--line);
                 background: linear-gradient(180deg, #121821, var(--bg)); }
        .logo { width: 30px; height: 30px; border-radius: 8px; display: grid; place-items: center; font-weight: 700;
                background: linear-gradient(135deg, var(--blue), var(--violet)); color: #0d1117; }
        h1 { font-size: 17px; margin: 0; font-weight: 650; letter-spacing: .01em; }
        .sub { color: var(--muted); font-size: 12.5px; }
        .spacer { flex: 1; }
        .pill { display: inline-flex; align-items: center; gap: 8px; padding: 4px 11px; border-radius: 999px;
                border: 1px solid var(--line); background: var(--panel); font-size: 12.5px; color: var(--muted); }
        .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--slate); }
        body[data-state="live"] .dot { background: var(--ok); box-shadow: 0 0 0 0 rgba(62, 207, 142, .6);
                                       animation: pulse 1.6s infinite; }
        body[data-state="ended"] .dot { background: var(--warn); }
        @keyframes pulse { 70% { box-shadow: 0 0 0 7px rgba(62, 207, 142, 0); } 100% { box-shadow: 0 0 0 0 rgba(62, 207, 142, 0); } }
        main { padding: 16px 24px 24px; display: grid; gap: 14px; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
        .tile, .card { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; }
        .tile { padding: 12px 16px; }
        .tile .k { color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: .07em; }
        .tile .v { font-size: 27px; font-weight: 650; margin-top: 2px; white-space: nowrap; }
        .tile .d { color: var(--muted); font-size: 12px; min-height: 2.9em; }
        .good { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 12px; }
        .card { padding: 12px 14px 10px; min-width: 0; }
        .card h2 { margin: 0 0 2px; font-size: 12px; text-transform: uppercase; letter-spacing: .07em; color: var(--muted);
                   font-weight: 600; display: flex; justify-content: space-between; }
        .card h2 .now { text-transform: none; letter-spacing: 0; color: var(--text); font-weight: 600; }
        canvas { width: 100%; height: 180px; display: block; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-top: 4px; }
        .legend b { color: var(--text); font-weight: 600; }
        .sw { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 6px; vertical-align: 0; }
        .checks { list-style: none; margin: 6px 0 0; padding: 0; display: grid; gap: 8px; }
        .checks li { background: var(--panel2); border: 1px solid var(--line); border-radius: 9px; padding: 8px 11px; }
        .checks .n { font-weight: 600; } .checks .x { color: var(--muted); font-size: 12px; }
        table { width: 100%; border-collapse: collapse; }
        th { text-align: left; color: var(--muted); font-weight: 600; font-size: 11.5px; text-transform: uppercase;
             letter-spacing: .07em; padding: 6px 10px; border-bottom: 1px solid var(--line); }
        td { padding: 7px 10px; border-bottom: 1px solid #1d2530; white-space: nowrap; }
        td.r, th.r { text-align: right; }
        .bar { display: flex; height: 9px; width: 220px; border-radius: 5px; overflow: hidden; background: var(--panel2); }
        .chip { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 999px; font-size: 12px;
                background: var(--panel2); border: 1px solid var(--line); }
        code { font: 12.5px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", monospace; color: #c9d4e0; }
        footer { color: var(--muted); font-size: 12px; padding: 0 24px 20px; }
        a { color: var(--blue); text-decoration: none; }
        </style>
        </head>
        <body data-state="connecting" data-polls="0" data-samples="0">
        <header>
          <div class="logo">M</div>
          <div><h1>MVX Metrics · live demo</h1>
            <div class="sub">production code emits facts → metrics turn them into dimensions → snapshots show them</div></div>
          <div class="spacer"></div>
          <span class="pill num" id="elapsed">–</span>
          <span class="pill"><span class="dot"></span><span id="status">connecting…</span></span>
        </header>
        <main>
          <section class="tiles">
            <div class="tile"><div class="k">Events / s</div><div class="v num" id="t-rate">–</div><div class="d" id="t-rate-d">recorded into queued recorders</div></div>
            <div class="tile"><div class="k">Processed</div><div class="v num" id="t-processed">–</div><div class="d" id="t-processed-d">events applied to metrics</div></div>
            <div class="tile"><div class="k">Dropped · pending</div><div class="v num" id="t-dropped">–</div><div class="d" id="t-dropped-d">overflow policy at work</div></div>
            <div class="tile"><div class="k">Bytes sent</div><div class="v num" id="t-bytes">–</div><div class="d" id="t-bytes-d">echoed + discarded by the servers</div></div>
            <div class="tile"><div class="k">Health</div><div class="v" id="t-health">–</div><div class="d" id="t-health-d">/health</div></div>
          </section>
          <section class="charts">
            <div class="card"><h2>TCP operations / s by outcome <span class="now num" id="chart-tcp-now"></span></h2>
              <canvas id="chart-tcp"></canvas><div class="legend" id="chart-tcp-legend"></div></div>
            <div class="card"><h2>Document saves / s by outcome <span class="now num" id="chart-docs-now"></span></h2>
              <canvas id="chart-docs"></canvas><div class="legend" id="chart-docs-legend"></div></div>
            <div class="card"><h2>TCP bytes / s <span class="now num" id="chart-bytes-now"></span></h2>
              <canvas id="chart-bytes"></canvas><div class="legend" id="chart-bytes-legend"></div></div>
            <div class="card"><h2>Latency since start (log scale) <span class="now num" id="chart-latency-now"></span></h2>
              <canvas id="chart-latency"></canvas><div class="legend" id="chart-latency-legend"></div></div>
            <div class="card"><h2>Recorders: events / s <span class="now num" id="chart-recorders-now"></span></h2>
              <canvas id="chart-recorders"></canvas><div class="legend" id="chart-recorders-legend"></div></div>
            <div class="card"><h2>Health checks <span class="now" id="checks-now"></span></h2><ul class="checks" id="checks"></ul></div>
          </section>
          <section class="card">
            <h2>Attempts by outcome <span class="now">from <code>/snapshot</code></span></h2>
            <table><thead><tr><th>metric</th><th class="r">total</th><th class="r">success</th><th>outcomes</th><th></th>
              <th class="r">p50</th><th class="r">p99</th></tr></thead><tbody id="attempts"></tbody></table>
          </section>
        </main>
        <footer>Served by <code>mvx-metrics-demo</code> on 127.0.0.1 ·
          <a href="metrics">/metrics</a> · <a href="snapshot">/snapshot</a> · <a href="health">/health</a></footer>
        <script>
        "use strict";
        const POLL_MS = Math.max(100, Number(new URLSearchParams(location.search).get("interval")) || 1000);
        const WINDOW = 1.0;  // seconds a rate is measured over
        const COLORS = {
          success: "#3ecf8e", timeout: "#f5a524", refused: "#a78bfa", remote_disconnect: "#fb923c", failure: "#f0506e",
          cancelled: "#94a3b8", too_large: "#f472b6", invalid_name: "#22d3ee",
        };
        const RECORDER_COLORS = ["#a78bfa", "#4c9ffe", "#22d3ee", "#3ecf8e", "#f5a524"];
        const samples = [];
        let latest = null, health = null, polls = 0;

        // One sample: every counter and distribution of every recorder at one moment.
        function toSample(snapshots) {
          const s = { t: 0, c: {}, q: {}, stats: {}, metrics: [] };
          for (const r of snapshots) {
            s.t = Math.max(s.t, Date.parse(r.taken_at) / 1000);
            s.stats[r.entity_id] = r.statistics;
            for (const m of r.metrics) {
              s.metrics.push(m);
              for (const d of m.dimensions) {
                const labels = d.labels ? "{" + Object.entries(d.labels).map(([k, v]) => k + "=" + v).join(",") + "}" : "";
                const key = m.name + ":" + d.name + labels;
                if (d.type === "distribution") {
                  const q = { count: d.value.count };
                  for (const x of d.value.quantiles || []) q["p" + Math.round(x.quantile * 100)] = Number(x.value);
                  s.q[key] = q;
                } else {
                  s.c[key] = Number(d.value) || 0;
                }
              }
            }
          }
          s.metrics.sort((a, b) => a.name.localeCompare(b.name));
          return s;
        }

        function add(snapshots) {
          if (!Array.isArray(snapshots) || snapshots.length === 0) return;
          const s = toSample(snapshots);
          if (samples.length && s.t <= samples[samples.length - 1].t) return;
          samples.push(s);
          if (samples.length > 900) samples.shift();
          latest = s;
        }

        const c = (s, key) => s.c[key] || 0;
        const t0 = () => (samples.length ? samples[0].t : 0);

        // The per-second rate of value(sample), each point over at least WINDOW seconds.
        function rate(value) {
          const points = [];
          for (let i = 1; i < samples.length; i++) {
            let j = i - 1;
            while (j > 0 && samples[i].t - samples[j].t < WINDOW) j--;
            const dt = samples[i].t - samples[j].t;
            if (dt <= 0) continue;
            points.push([samples[i].t - t0(), Math.max(0, (value(samples[i]) - value(samples[j])) / dt)]);
          }
          return points;
        }

        function level(value) {
          return samples.map((s) => [s.t - t0(), value(s)]).filter((p) => p[1] !== undefined && p[1] > 0);
        }

        // Formatting.
        function count(v) { return Math.round(v).toLocaleString("en-US"); }
        function short(v) {
          const a = Math.abs(v);
          if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
          if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
          return a >= 10 || v === 0 ? Math.round(v).toString() : v.toFixed(1);
        }
        function bytes(v) {
          const units = ["B", "KiB", "MiB", "GiB"];
          let i = 0;
          while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
          return (i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : 1)) + " " + units[i];
        }
        function seconds(v) {
          if (!(v > 0)) return "–";
          if (v < 1e-3) return Math.round(v * 1e6) + " µs";
          if (v < 1) return (v * 1e3).toFixed(v < 1e-2 ? 2 : 1) + " ms";
          return v.toFixed(2) + " s";
        }
        function esc(text) {
          return String(text).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);
        }

        // A chart of series [{label, color, points: [[x, y]]}] on a canvas.
        function chart(id, series, options) {
          const canvas = document.getElementById(id);
          const ratio = window.devicePixelRatio || 1;
          const w = canvas.clientWidth, h = canvas.clientHeight;
          canvas.width = Math.round(w * ratio);
          canvas.height = Math.round(h * ratio);
          const g = canvas.getContext("2d");
          g.setTransform(ratio, 0, 0, ratio, 0, 0);
          g.clearRect(0, 0, w, h);
          const format = options.format || short;
          const tick = options.tick || format;
          const pad = { l: 54, r: 10, t: 8, b: 22 };
          // Series that stayed at zero are left out of the legend (they draw nothing).
          const shown = series.filter((s, i) => i === 0 || s.points.some((p) => p[1] > 0));
          const n = Math.max(0, ...series.map((s) => s.points.length));
          const legend = document.getElementById(id + "-legend");
          legend.innerHTML = shown.map((s) => {
            const last = s.points.length ? s.points[s.points.length - 1][1] : 0;
            return '<span><span class="sw" style="background:' + s.color + '"></span>' + esc(s.label) + " <b>" + esc(format(last)) + "</b></span>";
          }).join("");
          canvas.dataset.points = String(n);
          if (n < 2) {
            g.fillStyle = "#8b98a9";
            g.font = "13px system-ui, sans-serif";
            g.textAlign = "center";
            g.fillText("waiting for data…", w / 2, h / 2);
            canvas.dataset.max = "0";
            canvas.dataset.nonzero = "false";
            return;
          }
          // Stacked series share their x values: sum them point by point.
          let drawn = series;
          if (options.stacked) {
            const base = new Array(n).fill(0);
            drawn = series.map((s) => {
              const top = s.points.map((p, i) => [p[0], base[i] + p[1]]);
              const bottom = base.slice();
              top.forEach((p, i) => { base[i] = p[1]; });
              return { ...s, points: top, bottom };
            });
          }
          const xs = drawn.flatMap((s) => s.points.map((p) => p[0]));
          const ys = drawn.flatMap((s) => s.points.map((p) => p[1]));
          const x0 = Math.min(...xs), x1 = Math.max(x0 + 1, ...xs);
          const yMax = Math.max(...ys);
          canvas.dataset.max = String(yMax);
          canvas.dataset.nonzero = String(yMax > 0);
          let Y, ticks;
          if (options.log) {
            const positive = ys.filter((v) => v > 0);
            const lo = Math.floor(Math.log10(Math.min(...positive, 1e-3)));
            const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive, 1e-6))));
            Y = (v) => pad.t + (h - pad.t - pad.b) * (1 - (Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo));
            ticks = [];
            for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
          } else {
            // Byte axes step in whole KiB or MiB, so their labels stay short.
            const unit = options.binary ? 1024 ** Math.max(0, Math.floor(Math.log(Math.max(yMax, 1)) / Math.log(1024))) : 1;
            const step = niceStep((yMax || 1) / unit / 4) * unit;
            const top = Math.max(step, Math.ceil((yMax || 1) / step) * step);
            Y = (v) => pad.t + (h - pad.t - pad.b) * (1 - v / top);
            ticks = [];
            for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
          }
          const X = (x) => pad.l + (w - pad.l - pad.r) * (x - x0) / (x1 - x0);
          g.font = "11px system-ui, sans-serif";
          g.lineWidth = 1;
          g.textAlign = "right";
          g.textBaseline = "middle";
          for (const v of ticks) {
            const y = Math.round(Y(v)) + 0.5;
            g.strokeStyle = "#222b36";
            g.beginPath(); g.moveTo(pad.l, y); g.lineTo(w - pad.r, y); g.stroke();
            g.fillStyle = "#7d8a9b";
            g.fillText(tick(v, ticks), pad.l - 8, y);
          }
          g.textAlign = "center";
          g.textBaseline = "top";
          const xStep = niceStep((x1 - x0) / 6);
          for (let x = Math.ceil(x0 / xStep) * xStep; x <= x1; x += xStep) {
            g.fillText(Math.round(x) + " s", X(x), h - pad.b + 6);
          }
          for (const s of drawn) {
            g.beginPath();
            s.points.forEach((p, i) => (i ? g.lineTo(X(p[0]), Y(p[1])) : g.moveTo(X(p[0]), Y(p[1]))));
            if (options.stacked) {
              for (let i = s.points.length - 1; i >= 0; i--) g.lineTo(X(s.points[i][0]), Y(s.bottom[i]));
              g.closePath();
              g.fillStyle = s.color + "bb";
              g.fill();
            } else {
              g.strokeStyle = s.color;
              g.lineWidth = s.dash ? 1.5 : 2;
              g.setLineDash(s.dash ? [5, 4] : []);
              g.stroke();
              g.setLineDash([]);
            }
          }
        }

        // Axis labels: short, and without decimals where the ticks allow.
        function binaryTick(v, ticks) {
          const top = ticks[ticks.length - 1];
          const [unit, name] = top >= 1048576 ? [1048576, " MiB"] : top >= 1024 ? [1024, " KiB"] : [1, " B"];
          const scaled = v / unit;
          return (Number.isInteger(scaled) ? scaled : scaled.toFixed(1)) + (v === 0 ? "" : name);
        }
        function secondsTick(v) {
          if (v < 1e-3) return Math.round(v * 1e6) + " µs";
          if (v < 1) return Math.round(v * 1e3 * 1000) / 1000 + " ms";
          return v + " s";
        }

        function niceStep(raw) {
          const power = 10 ** Math.floor(Math.log10(raw || 1));
          const m = raw / power;
          return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * power;
        }

        function outcomesOf(name) {
          const m = latest ? latest.metrics.find((x) => x.name === name) : null;
          if (!m) return [];
          return m.dimensions.filter((d) => !d.labels && d.name.endsWith("_total") && d.name !== "total" && d.type === "counter")
            .map((d) => d.name.slice(0, -"_total".length));
        }

        function render() {
          document.body.dataset.samples = String(samples.length);
          document.body.dataset.polls = String(polls);
          if (!latest) return;
          const span = latest.t - t0();
          document.getElementById("elapsed").textContent = "run time " + span.toFixed(0) + " s · " + samples.length + " samples";

          // TCP operations by outcome, summed over every tcp_stream attempts metric.
          const tcpMetrics = latest.metrics.filter((m) => m.name.startsWith("tcp_stream.") && m.name.endsWith(".attempts")).map((m) => m.name);
          const tcpOutcomes = outcomesOf(tcpMetrics[0] || "");
          const tcp = tcpOutcomes.map((o) => ({ label: o.replace("_", " "), color: COLORS[o] || "#94a3b8",
            points: rate((s) => tcpMetrics.reduce((sum, m) => sum + c(s, m + ":" + o + "_total"), 0)) }));
          chart("chart-tcp", tcp, { stacked: true });
          const tcpNow = tcp.reduce((sum, s) => sum + (s.points.length ? s.points[s.points.length - 1][1] : 0), 0);
          document.getElementById("chart-tcp-now").textContent = short(tcpNow) + " / s";

          const docs = outcomesOf("document_storage.save.attempts").map((o) => ({ label: o.replace("_", " "),
            color: COLORS[o] || "#94a3b8", points: rate((s) => c(s, "document_storage.save.attempts:" + o + "_total")) }));
          chart("chart-docs", docs, { stacked: true });
          const docsNow = docs.reduce((sum, s) => sum + (s.points.length ? s.points[s.points.length - 1][1] : 0), 0);
          document.getElementById("chart-docs-now").textContent = short(docsNow) + " / s";

          const byteSeries = [
            ["sent", "#4c9ffe", "tcp_stream.sent.bytes:total"], ["echoed", "#3ecf8e", "tcp_echo_server.echoed.bytes:total"],
            ["discarded", "#f5a524", "tcp_echo_server.discarded.bytes:total"],
          ].map(([label, color, key]) => ({ label, color, points: rate((s) => c(s, key)), dash: label === "echoed" }));
          chart("chart-bytes", byteSeries, { format: (v) => bytes(v), binary: true, tick: binaryTick });
          document.getElementById("chart-bytes-now").textContent = bytes(c(latest, "tcp_stream.sent.bytes:total")) + " sent";

          const q = (key, p) => (s) => (s.q[key] ? s.q[key][p] : undefined);
          const latency = [
            ["tcp read p50", "#4c9ffe", "tcp_stream.read.attempts:duration", "p50"],
            ["tcp read p99", "#4c9ffe", "tcp_stream.read.attempts:duration", "p99", true],
            ["save p50", "#a78bfa", "document_storage.save.duration:seconds", "p50"],
            ["save p99", "#a78bfa", "document_storage.save.duration:seconds", "p99", true],
          ].map(([label, color, key, p, dash]) => ({ label, color, dash, points: level(q(key, p)) }));
          chart("chart-latency", latency, { log: true, format: seconds, tick: secondsTick });

          const names = Object.keys(latest.stats);
          const recorders = names.map((name, i) => ({ label: name, color: RECORDER_COLORS[i % RECORDER_COLORS.length],
            points: rate((s) => (s.stats[name] ? s.stats[name].accepted : 0)) }));
          chart("chart-recorders", recorders, { stacked: true });
          const eventsNow = recorders.reduce((sum, s) => sum + (s.points.length ? s.points[s.points.length - 1][1] : 0), 0);
          document.getElementById("chart-recorders-now").textContent = short(eventsNow) + " / s";

          // Tiles.
          const stats = Object.values(latest.stats);
          const total = (k) => stats.reduce((sum, x) => sum + (x[k] || 0), 0);
          document.getElementById("t-rate").textContent = count(eventsNow);
          document.getElementById("t-rate-d").textContent = "into " + names.length + " queued recorders";
          document.getElementById("t-processed").textContent = count(total("processed"));
          const balanced = stats.every((x) => x.accepted === x.processed + x.dropped + x.pending);
          document.getElementById("t-processed-d").textContent = "accepted = processed + dropped + pending " + (balanced ? "✓" : "✗");
          const dropped = document.getElementById("t-dropped");
          dropped.textContent = count(total("dropped")) + " · " + count(total("pending"));
          dropped.className = "v num " + (total("dropped") > 0 ? "bad" : "good");
          const sent = c(latest, "tcp_stream.sent.bytes:total");
          const echoed = c(latest, "tcp_echo_server.echoed.bytes:total");
          const discarded = c(latest, "tcp_echo_server.discarded.bytes:total");
          document.getElementById("t-bytes").textContent = bytes(sent);
          const inFlight = sent - echoed - discarded;
          document.getElementById("t-bytes-d").textContent = bytes(echoed) + " echoed + " + bytes(discarded) + " discarded" +
            (inFlight === 0 ? " ✓" : " + " + bytes(inFlight) + " in flight");

          if (health) {
            const ok = health.status === "pass";
            const tile = document.getElementById("t-health");
            tile.textContent = ok ? "passing" : "failing";
            tile.className = "v " + (ok ? "good" : "bad");
            const passed = health.checks.filter((x) => x.passed).length;
            document.getElementById("t-health-d").textContent = passed + " of " + health.checks.length + " checks pass";
            document.getElementById("checks-now").textContent = ok ? "all pass" : "failing";
            document.getElementById("checks").innerHTML = health.checks.map((x) =>
              '<li><span class="n ' + (x.passed ? "good" : "bad") + '">' + (x.passed ? "✓ " : "✗ ") + esc(x.name) + "</span>" +
              '<div class="x">' + esc(x.detail.replace(/\d+\.\d{4,}(e-?\d+)?/g, (v) => Number(v).toPrecision(3))) + "</div></li>").join("");
          }

          // The attempts table.
          const rows = latest.metrics.filter((m) => m.name.endsWith(".attempts")).map((m) => {
            const key = (d) => m.name + ":" + d;
            const t = c(latest, key("total"));
            const outcomes = outcomesOf(m.name).map((o) => [o, c(latest, key(o + "_total"))]).filter(([, v]) => v > 0);
            const bar = outcomes.map(([o, v]) => '<span style="width:' + (t ? (100 * v / t) : 0) + "%;background:" + (COLORS[o] || "#94a3b8") + '"></span>').join("");
            const chips = outcomes.filter(([o]) => o !== "success").map(([o, v]) =>
              '<span class="chip"><span class="sw" style="background:' + (COLORS[o] || "#94a3b8") + '"></span>' + esc(o.replace("_", " ")) + " " + count(v) + "</span>").join("");
            const d = latest.q[key("duration")] || latest.q[m.name.replace(/\.attempts$/, ".duration") + ":seconds"] || {};
            return "<tr><td><code>" + esc(m.name) + '</code></td><td class="r num">' + count(t) + '</td><td class="r num">' +
              count(c(latest, key("success_total"))) + '</td><td><div class="bar">' + bar + "</div></td><td>" + chips +
              '</td><td class="r num">' + seconds(d.p50) + '</td><td class="r num">' + seconds(d.p99) + "</td></tr>";
          });
          document.getElementById("attempts").innerHTML = rows.join("");
        }

        async function getJSON(path) {
          const response = await fetch(path, { cache: "no-store" });
          return response.json();  // /health answers 503 with a JSON body when a check fails
        }

        async function poll() {
          try {
            const [snapshots, report] = await Promise.all([getJSON("snapshot"), getJSON("health")]);
            add(snapshots);
            health = report;
            polls++;
            document.body.dataset.state = "live";
            document.getElementById("status").textContent = "live · every " + (POLL_MS / 1000) + " s";
          } catch (error) {
            document.body.dataset.state = samples.length ? "ended" : "connecting";
            document.getElementById("status").textContent = samples.length ? "run ended" : "connecting…";
          }
          render();
          setTimeout(poll, POLL_MS);
        }

        async function start() {
          try {
            for (const snapshots of await getJSON("history")) add(snapshots);
          } catch (error) { /* no history: the polls fill the charts */ }
          render();
          poll();
        }

        window.addEventListener("resize", render);
        start();
        </script>
        </body>
        </html>
        """#
}
