// The support managers' dashboard: figures from /agents/api/dashboard, drawn as inline SVG charts
// and a table, in the agent's language. Nothing is fetched from anywhere else; text is only ever set
// with textContent.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const GROUPS = [
    ["conversations", ["conversations", "contained", "containment", "handed_off", "handoff_rate"]],
    ["handoffs", ["handoffs", "taken", "wait_median", "wait_p90"]],
    ["requests", ["requests", "answered_in_time", "answered_late", "unanswered", "in_time_rate"]],
    ["misses", ["misses", "not_understood"]],
  ];
  const RATES = new Set(["containment", "handoff_rate", "in_time_rate"]);
  const WAITS = new Set(["wait_median", "wait_p90"]);
  const COLOURS = ["#0b5cad", "#d9822b", "#7a8591", "#2e7d32", "#a4161a"];

  const $ = (id) => document.getElementById(id);
  let data = null;
  let words = {};
  let chartSize = 640;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function word(key, params) {
    let text = words[key] || key;
    for (const [name, value] of Object.entries(params || {})) text = text.split("{" + name + "}").join(value);
    return text;
  }

  function language() {
    return (data && data.language) || $("lang").value || "en";
  }

  // Numbers and dates as the browser writes them when it speaks the page's language (en-GB, sv-FI).
  function locale() {
    const browser = navigator.language || "";
    return browser.split("-")[0] === language() ? browser : language();
  }

  function number(value, digits) {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits || 0 }).format(value);
  }

  function percent(value) {
    if (value === null || value === undefined) return "–";
    return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(value);
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    if (seconds < 60) return word("seconds", { n: number(seconds) });
    return word("minutes", { n: number(seconds / 60, 1) });
  }

  function cell(key, value) {
    if (RATES.has(key)) return percent(value);
    if (WAITS.has(key)) return duration(value);
    return value === null || value === undefined ? "–" : number(value);
  }

  function dateText(iso, withYear) {
    const [y, m, d] = iso.split("-").map(Number);
    const options = withYear ? { year: "numeric", month: "short", day: "numeric" } : { month: "short", day: "numeric" };
    return new Intl.DateTimeFormat(locale(), { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
  }

  function periodText(row, by) {
    return by === "week" ? word("week_of", { date: dateText(row.start, true) }) : dateText(row.start, true);
  }

  function channelText(channel) {
    if (!channel) return word("all_channels");
    return words["channel." + channel] || channel;
  }

  function intentText(intent) {
    return intent === "none" ? word("intent.none") : intent;
  }

  // --- the page's words ------------------------------------------------------------------------

  function applyWords() {
    document.documentElement.lang = language();
    document.title = word("title");
    for (const node of document.querySelectorAll("[data-word]")) node.textContent = word(node.dataset.word);
    $("charts").setAttribute("aria-label", word("title"));
  }

  // --- loading ---------------------------------------------------------------------------------

  function query(extra) {
    const params = new URLSearchParams();
    if ($("from").value) params.set("from", $("from").value);
    if ($("to").value) params.set("to", $("to").value);
    params.set("lang", $("lang").value);
    for (const [name, value] of Object.entries(extra || {})) params.set(name, value);
    return params.toString();
  }

  async function load() {
    $("status").textContent = word("loading") === "loading" ? "…" : word("loading");
    let response;
    try {
      response = await window.fetch("/agents/api/dashboard?" + query(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      $("status").textContent = word("unavailable");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      $("figures").hidden = true;
      $("status").textContent = body.message || String(response.status);
      $("status").className = "status problem";
      return;
    }
    data = body;
    words = body.words || {};
    $("from").value = body.from;
    $("to").value = body.to;
    $("lang").value = body.language;
    const channel = $("channel").value;
    const select = $("channel");
    while (select.options.length > 1) select.remove(1);
    for (const name of body.channels) {
      const option = el("option", "", channelText(name));
      option.value = name;
      select.appendChild(option);
    }
    select.value = body.channels.includes(channel) ? channel : "";
    applyWords();
    $("who").textContent = word("signed_in", { name: body.admin.name || body.admin.id });
    $("status").textContent = "";
    $("status").className = "status";
    render();
  }

  // --- drawing ---------------------------------------------------------------------------------

  function rows() {
    const by = $("by").value;
    const channel = $("channel").value;
    return data[by].filter((row) => row.channel === channel);
  }

  function render() {
    if (!data) return;
    const by = $("by").value;
    const shown = rows();
    $("export").href = "/agents/api/dashboard.csv?" + query({ by: by });
    $("export").setAttribute("download", "");
    const notes = [word("zone_note", { zone: data.zone }), word("wait_note")];
    if ($("channel").value) notes.push(word("requests_note"));
    $("notes").textContent = notes.join(" ");
    $("figures").hidden = false; // first, so the charts can measure the room they have
    renderTotals();
    renderCharts(shown, by);
    renderTables(shown, by);
  }

  function renderTotals() {
    const totals = $("totals");
    totals.replaceChildren();
    const t = data.totals;
    for (const key of ["conversations", "containment", "handoff_rate", "wait_median", "wait_p90", "in_time_rate", "misses"]) {
      const item = el("div", "total");
      item.appendChild(el("dt", "", word(key)));
      item.appendChild(el("dd", "", cell(key, t[key])));
      totals.appendChild(item);
    }
  }

  // The width a chart has, in CSS pixels, as the grid of .charts lays them out (28rem at least, two
  // or more side by side when they fit): drawn at that width, its text is the size of the page's.
  function chartWidth() {
    const room = $("charts").clientWidth || 640;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const gap = rem;
    const columns = Math.max(1, Math.floor((room + gap) / (28 * rem + gap)));
    return Math.max(240, Math.floor((room - (columns - 1) * gap) / columns - 1.5 * rem - 2));
  }

  function renderCharts(shown, by) {
    const charts = $("charts");
    charts.replaceChildren();
    chartSize = chartWidth();
    const label = (row) => (by === "week" ? dateText(row.start, false) : dateText(row.start, false));
    charts.appendChild(barChart("conversations", word("chart.conversations"), shown, label, [
      ["contained", word("contained"), (r) => r.contained],
      ["handed_off", word("handed_off"), (r) => r.handed_off],
    ], true, number));
    charts.appendChild(barChart("waits", word("chart.waits"), shown, label, [
      ["wait_median", word("wait_median"), (r) => (r.wait_median === null ? 0 : r.wait_median / 60)],
      ["wait_p90", word("wait_p90"), (r) => (r.wait_p90 === null ? 0 : r.wait_p90 / 60)],
    ], false, (v) => word("minutes", { n: number(v, 1) })));
    charts.appendChild(barChart("requests", word("chart.requests"), shown, label, [
      ["answered_in_time", word("answered_in_time"), (r) => r.answered_in_time],
      ["answered_late", word("answered_late"), (r) => r.answered_late],
      ["unanswered", word("unanswered"), (r) => r.unanswered],
    ], true, number));
    charts.appendChild(barChart("misses", word("chart.misses"), shown, label, [
      ["not_understood", word("not_understood"), (r) => r.not_understood],
      ["other_misses", word("other_misses"), (r) => r.misses - r.not_understood],
    ], true, number));
    charts.appendChild(intentChart());
  }

  function legend(series, colours) {
    const list = el("ul", "legend");
    series.forEach((s, i) => {
      const item = el("li");
      const swatch = el("span", "swatch");
      swatch.style.background = colours[i];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s[1]));
      list.appendChild(item);
    });
    return list;
  }

  // The top of a chart's scale: 1, 2, 4, 5 or 10 times a power of ten, so its half is a round figure too.
  function niceCeil(value) {
    if (!(value > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 4, 5, 10]) if (step * power >= value - 1e-9) return step * power;
    return 10 * power;
  }

  // A bar per row: the series stacked (stacked) or side by side, scaled to the largest value.
  function barChart(name, title, shown, label, series, stacked, format) {
    const figure = el("figure", "chart");
    figure.dataset.chart = name;
    figure.appendChild(el("figcaption", "", title));
    const width = chartSize;
    const height = 220;
    const left = 56;
    const bottom = 28;
    const top = 10;
    const colours = series.map((_, i) => COLOURS[i]);
    const totals = shown.map((row) => series.map((s) => Math.max(0, s[2](row))));
    const max = niceCeil(Math.max(0, ...totals.map((values) => (stacked ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values)))));
    const plot = height - bottom - top;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "bars" });
    const summary = shown.map((row, i) => label(row) + ": " + series.map((s, j) => s[1] + " " + format(totals[i][j])).join(", "));
    chart.setAttribute("aria-label", title + ". " + summary.join("; "));
    chart.appendChild(svg("line", { x1: left, y1: top + plot, x2: width, y2: top + plot, class: "axis" }));
    for (const fraction of [0.5, 1]) {
      const y = top + plot - plot * fraction;
      chart.appendChild(svg("line", { x1: left, y1: y, x2: width, y2: y, class: "grid" }));
      const tick = svg("text", { x: left - 4, y: y + 4, "text-anchor": "end", class: "tick" });
      tick.textContent = format(max * fraction, 1);
      chart.appendChild(tick);
    }
    const slot = (width - left) / Math.max(1, shown.length);
    const barWidth = Math.max(1, slot * 0.7);
    const every = Math.ceil(shown.length / Math.max(2, Math.floor((width - left) / 64)));
    shown.forEach((row, i) => {
      const x = left + i * slot + (slot - barWidth) / 2;
      let base = top + plot;
      totals[i].forEach((value, j) => {
        const h = (value / max) * plot;
        const w = stacked ? barWidth : barWidth / series.length;
        const bx = stacked ? x : x + j * w;
        const y = stacked ? base - h : top + plot - h;
        const bar = svg("rect", { x: bx.toFixed(2), y: y.toFixed(2), width: w.toFixed(2), height: h.toFixed(2), fill: colours[j], class: "bar" });
        const tip = svg("title");
        tip.textContent = label(row) + " · " + series[j][1] + ": " + format(value);
        bar.appendChild(tip);
        chart.appendChild(bar);
        if (stacked) base -= h;
      });
      if (i % every === 0) {
        const text = svg("text", { x: (x + barWidth / 2).toFixed(2), y: height - 8, "text-anchor": "middle", class: "tick" });
        text.textContent = label(row);
        chart.appendChild(text);
      }
    });
    figure.appendChild(chart);
    figure.appendChild(legend(series, colours));
    return figure;
  }

  function intentChart() {
    const figure = el("figure", "chart");
    figure.dataset.chart = "intents";
    figure.appendChild(el("figcaption", "", word("chart.intents")));
    const channel = $("channel").value;
    const items = data.intents
      .map((item) => ({ name: item.intent, count: channel ? item.channels[channel] || 0 : item.count }))
      .filter((item) => item.count > 0)
      .sort((a, b) => b.count - a.count);
    if (!items.length) {
      figure.appendChild(el("p", "nothing", word("nothing")));
      return figure;
    }
    const width = chartSize;
    const row = 26;
    const labelWidth = Math.min(200, Math.round(width * 0.4));
    const chart = svg("svg", { viewBox: `0 0 ${width} ${items.length * row + 4}`, role: "img", class: "hbars" });
    chart.setAttribute("aria-label", word("chart.intents") + ". " + items.map((i) => intentText(i.name) + " " + number(i.count)).join(", "));
    const max = Math.max(...items.map((i) => i.count));
    items.forEach((item, i) => {
      const y = i * row + 2;
      const name = svg("text", { x: labelWidth - 8, y: y + row / 2 + 4, "text-anchor": "end", class: "tick" });
      const full = intentText(item.name);
      const room = Math.floor((labelWidth - 8) / 7); // about 7 px a character at 12 px
      name.textContent = full.length > room ? full.slice(0, room - 1) + "…" : full;
      const tip = svg("title");
      tip.textContent = full + ": " + number(item.count);
      name.appendChild(tip);
      chart.appendChild(name);
      const w = ((width - labelWidth - 60) * item.count) / max;
      chart.appendChild(svg("rect", { x: labelWidth, y: y + 4, width: w.toFixed(2), height: row - 8, fill: COLOURS[0], class: "bar" }));
      const count = svg("text", { x: (labelWidth + w + 6).toFixed(2), y: y + row / 2 + 4, class: "tick" });
      count.textContent = number(item.count);
      chart.appendChild(count);
    });
    figure.appendChild(chart);
    return figure;
  }

  // One table per subject, so each fits a desktop screen; on a phone each row becomes a card.
  function renderTables(shown, by) {
    const tables = $("tables");
    tables.replaceChildren();
    const channel = channelText($("channel").value);
    for (const [subject, columns] of GROUPS) {
      const table = el("table", "figures-table");
      table.dataset.subject = subject;
      table.appendChild(el("caption", "", word(subject) + " · " + channel));
      const head = el("thead");
      const header = el("tr");
      header.appendChild(el("th", "", word("start")));
      for (const key of columns) header.appendChild(el("th", "", word(key)));
      for (const th of header.children) th.scope = "col";
      head.appendChild(header);
      table.appendChild(head);
      const body = el("tbody");
      for (const row of shown) {
        const tr = el("tr");
        const th = el("th", "", periodText(row, by));
        th.scope = "row";
        tr.appendChild(th);
        for (const key of columns) {
          const td = el("td", "", cell(key, row[key]));
          td.dataset.label = word(key);
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      table.appendChild(body);
      tables.appendChild(table);
    }
  }

  // --- wiring ----------------------------------------------------------------------------------

  function start() {
    const params = new URLSearchParams(window.location.search);
    const asked = params.get("lang");
    for (const name of ["from", "to"]) if (/^\d{4}-\d{2}-\d{2}$/.test(params.get(name) || "")) $(name).value = params.get(name);
    if (params.get("by") === "week") $("by").value = "week";
    const browser = (navigator.language || "en").slice(0, 2);
    $("lang").value = asked === "sv" || asked === "en" ? asked : browser === "sv" ? "sv" : "en";
    $("controls").addEventListener("submit", (event) => {
      event.preventDefault();
      load();
    });
    $("lang").addEventListener("change", load);
    $("by").addEventListener("change", render);
    $("channel").addEventListener("change", render);
    let resized = null;
    window.addEventListener("resize", () => {
      window.clearTimeout(resized);
      resized = window.setTimeout(() => {
        if (data && chartWidth() !== chartSize) render();
      }, 150);
    });
    load();
  }

  start();
})();
