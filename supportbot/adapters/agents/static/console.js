/* supportbot support workspace (docs/agent-console.md).
 * Plain script, no build step. Customer and agent text is only ever set with textContent.
 */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    agent: null, ws: null, attempts: 0, status: "available", waitTarget: 300, language: "en",
    queue: {}, fresh: {}, tabs: [], convs: {}, current: null, typingTimer: null, typing: false,
    requests: [], request: null, review: [], chosen: {}, intents: [], canned: [], agents: [], mode: "reply",
    suggest: [], suggestAt: 0, view: "conversation", words: {}, plural: {}, shownRequest: null
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(text, className, onClick) {
    var b = el("button", className, text);
    b.type = "button";
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }

  function api(path, body, method) {
    return window.fetch("/agents/api/" + path, {
      method: method || (body === undefined ? "GET" : "POST"),
      credentials: "same-origin",
      headers: body === undefined ? { "Accept": "application/json" } :
        { "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function send(frame) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(frame));
  }

  // --- words and times in the agent's language ---------------------------------------------------------

  // The page's words come from the server's registry (/agents/api/words), in the language chosen on the
  // page (remembered in this browser), else the browser's, else the account's. Nothing English is kept
  // here: t() is the only way a sentence reaches the page, always as text.
  var LANGUAGES = ["en", "sv"];

  function t(key, params) {
    var text = state.words[key];
    params = params || {};
    if (text === undefined || text === null) return key;
    if (typeof text === "object") {
      var count = params[state.plural[key]];
      var form = "other";
      try { form = new Intl.PluralRules(locale()).select(count); } catch (e) { /* "other" */ }
      text = text[form] || text.other;
      params = Object.assign({}, params);
      params[state.plural[key]] = number(count);
    }
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return params[name] === undefined || params[name] === null ? all : String(params[name]);
    });
  }

  function number(value) {
    try { return new Intl.NumberFormat(locale()).format(value); } catch (e) { return String(value); }
  }

  function word(kind, value) {
    var key = kind + "." + value;
    return state.words[key] !== undefined ? t(key) : String(value || "").replace(/_/g, " ");
  }

  function chosenLanguage() {
    try {
      var kept = window.localStorage.getItem("sb-agent-language");
      if (LANGUAGES.indexOf(kept) >= 0) return kept;
    } catch (e) { /* nothing kept */ }
    return "";
  }

  function browserLanguage() {
    var all = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < all.length; i += 1) {
      var primary = String(all[i] || "").toLowerCase().split("-")[0];
      if (LANGUAGES.indexOf(primary) >= 0) return primary;
    }
    return "";
  }

  function pickLanguage(agent) {
    return chosenLanguage() || browserLanguage() || (agent && agent.language) || "en";
  }

  // Every element of the page with data-t gets its text from the words, with data-t-title,
  // data-t-aria-label and data-t-placeholder its attributes.
  function applyWords() {
    document.documentElement.lang = state.language;
    document.title = t("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (node) {
      node.textContent = t(node.getAttribute("data-t"));
    });
    [["data-t-title", "title"], ["data-t-aria-label", "aria-label"], ["data-t-placeholder", "placeholder"]].forEach(function (pair) {
      Array.prototype.forEach.call(document.querySelectorAll("[" + pair[0] + "]"), function (node) {
        node.setAttribute(pair[1], t(node.getAttribute(pair[0])));
      });
    });
    $("language").value = state.language;
    $("dashboard-link").href = "/agents/dashboard?lang=" + encodeURIComponent(state.language);  // in the same words
    $("zone").textContent = ZONE ? t("times_in", { zone: zoneLabel() }) : "";
  }

  function loadWords(language) {
    return api("words?lang=" + encodeURIComponent(language)).then(function (r) { return r.json(); }).then(function (data) {
      state.language = data.language || "en";
      state.words = data.words || {};
      state.plural = data.plural || {};
      if (data.wait_target) state.waitTarget = data.wait_target;
      applyWords();
    });
  }

  // Times in the agent's own zone (the browser's), labelled with it, as the web chat shows them.
  var ZONE = "";
  try { ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { ZONE = ""; }

  function zoneLabel() { return ZONE.replace(/_/g, " "); }

  function locale() { return state.language === "sv" ? "sv-SE" : "en-GB"; }

  function timeOptions(extra) {
    var options = Object.assign({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }, extra || {});
    if (ZONE) options.timeZone = ZONE;
    return options;
  }

  // "3 Dec 2026, 14:05 CET": date and time in the agent's zone, labelled.
  function when(iso) {
    if (!iso) return "–";
    var at = new Date(iso);
    if (isNaN(at.getTime())) return "–";
    try {
      return new Intl.DateTimeFormat(locale(), timeOptions({ year: "numeric", month: "short", day: "numeric" })).format(at);
    } catch (e) { return at.toLocaleString(); }
  }

  // "14:05 CET", the web chat's format.
  function clock(iso) {
    if (!iso) return "";
    var at = new Date(iso);
    if (isNaN(at.getTime())) return "";
    try {
      var parts = new Intl.DateTimeFormat(locale(), timeOptions()).formatToParts(at);
      var pick = function (type) {
        var part = parts.filter(function (p) { return p.type === type; })[0];
        return part ? part.value : "";
      };
      return pick("hour") + ":" + pick("minute") + (pick("timeZoneName") ? " " + pick("timeZoneName") : "");
    } catch (e) { return at.toLocaleTimeString(); }
  }

  function span(seconds) {
    var minutes = Math.max(0, Math.round(seconds / 60));
    if (minutes < 1) return t("under_a_minute");
    if (minutes < 60) return t("minutes", { n: minutes });
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 ? t("hours_minutes", { hours: number(hours), minutes: number(minutes % 60) }) : t("hours", { n: hours });
    return t("days", { n: Math.floor(hours / 24) });
  }

  // --- sign-in ---------------------------------------------------------------------------------------

  function showSignedIn(agent) {
    state.agent = agent;
    $("login").hidden = !!agent;
    $("login-main").hidden = !!agent;
    $("console").hidden = !agent;
    $("top-tools").hidden = !agent;
    $("canned-manage").hidden = !(agent && agent.admin);
    $("dashboard-link").hidden = !(agent && agent.admin);
    $("who").textContent = agent ? t("signed_in_as", { name: agent.name || agent.id }) : "";
    if (agent) connect();
    else $("user").focus();
  }

  $("login").addEventListener("submit", function (event) {
    event.preventDefault();
    $("login-error").textContent = "";
    api("login", { user: $("user").value.trim(), password: $("password").value }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      $("password").value = "";
      if (result.status === 200) {
        var agent = result.data.agent;
        var language = pickLanguage(agent);
        if (language === state.language) showSignedIn(agent);
        else loadWords(language).then(function () { showSignedIn(agent); });
        return;
      }
      // One answer for a wrong password and for someone who is not an agent: the server tells neither.
      $("login-error").textContent =
        result.status === 401 ? t("login_invalid") : result.status === 429 ? t("login_too_many") : t("login_failed");
    }).catch(function () { $("login-error").textContent = t("login_failed"); });
  });

  function signOut(path) {
    api(path, {}).then(function () {
      if (state.ws) { state.ws.onclose = null; state.ws.close(); }
      showSignedIn(null);
    });
  }
  $("signout").addEventListener("click", function () { signOut("logout"); });
  $("signout-everywhere").addEventListener("click", function () { signOut("logout-everywhere"); });

  // --- status and alerts -------------------------------------------------------------------------------

  function showStatus(status) {
    state.status = status === "away" ? "away" : "available";
    var available = state.status === "available";
    $("status-toggle").setAttribute("aria-pressed", available ? "true" : "false");
    $("status-label").setAttribute("data-t", available ? "available" : "away");
    $("status-label").textContent = available ? t("available") : t("away");
  }

  function toggleStatus() {
    send({ type: "status", status: state.status === "available" ? "away" : "available" });
  }
  $("status-toggle").addEventListener("click", toggleStatus);

  var prefs = { sound: false, desktop: false };
  try {
    prefs.sound = window.localStorage.getItem("sb-agent-sound") === "1";
    prefs.desktop = window.localStorage.getItem("sb-agent-desktop") === "1";
  } catch (e) { /* no storage: alerts stay off */ }
  $("alert-sound").checked = prefs.sound;
  $("alert-desktop").checked = prefs.desktop && "Notification" in window && Notification.permission === "granted";

  function remember(key, on) {
    try { window.localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* not kept */ }
  }

  $("alert-sound").addEventListener("change", function () {
    prefs.sound = this.checked;
    remember("sb-agent-sound", prefs.sound);
    if (prefs.sound) beep();
  });
  $("alert-desktop").addEventListener("change", function () {
    var box = this;
    if (!box.checked) { prefs.desktop = false; remember("sb-agent-desktop", false); return; }
    if (!("Notification" in window)) {
      box.checked = false;
      $("alert-note").textContent = t("alert_no_desktop");
      return;
    }
    Notification.requestPermission().then(function (answer) {
      prefs.desktop = answer === "granted";
      box.checked = prefs.desktop;
      remember("sb-agent-desktop", prefs.desktop);
      $("alert-note").textContent = prefs.desktop ? t("alert_desktop_on") : t("alert_desktop_refused");
    });
  });

  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator(), gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound here */ }
  }

  function alertAgent(title, body, tag) {
    if (prefs.sound) beep();
    if (prefs.desktop && "Notification" in window && Notification.permission === "granted" &&
        (document.hidden || !document.hasFocus())) {
      try { new Notification(title, { body: body, tag: tag }); } catch (e) { /* not shown */ }
    }
  }

  // --- the work lists' tabs ------------------------------------------------------------------------------

  var RAIL = ["inbox", "requests", "review", "search"];
  var PANELS = { inbox: "inbox", requests: "requests-panel", review: "review-panel", search: "search-panel" };

  function showRail(which, focus) {
    RAIL.forEach(function (name) {
      var tab = $("tab-" + name), on = name === which;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $(PANELS[name]).hidden = !on;
    });
    if (focus) $("tab-" + which).focus();
  }

  RAIL.forEach(function (name, index) {
    var tab = $("tab-" + name);
    tab.addEventListener("click", function () { showRail(name); });
    tab.addEventListener("keydown", function (event) {
      var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      event.preventDefault();
      showRail(RAIL[(index + step + RAIL.length) % RAIL.length], true);
    });
  });

  // --- the conversation list -------------------------------------------------------------------------

  function isMine(h) { return !!(h && h.status === "active" && state.agent && h.agent === state.agent.id); }

  function customerName(h) {
    if (h.guest) return t("guest_who", { name: h.guest.name, email: h.guest.email });
    if (h.customer_name && h.user_id) return h.customer_name + " <" + h.user_id + ">";
    return h.user_id || t("guest");
  }

  function unread(number) { return (state.convs[number] && state.convs[number].unread) || 0; }

  // Lists are drawn anew when anything changes: the control that had the focus gets it back.
  function keepFocus(id, draw) {
    var box = $(id), active = document.activeElement, holder = null, kind = null;
    if (active && active !== box && box.contains(active)) {
      holder = active.closest("[data-number]");
      kind = (active.className || "").split(" ")[0];
    }
    draw();
    if (!holder || !kind) return;
    var again = box.querySelector("[data-number='" + holder.getAttribute("data-number") + "'] ." + kind);
    if (again) again.focus();
  }

  function renderQueue() {
    keepFocus("queue", drawQueue);
    renderTabs();
    updateActions();
    updateTitle();
  }

  function drawQueue() {
    var list = $("queue");
    list.textContent = "";
    var items = Object.keys(state.queue).map(function (k) { return state.queue[k]; });
    items.sort(function (a, b) { return a.number < b.number ? -1 : 1; });
    var now = Date.now(), position = 0, waiting = 0;
    items.forEach(function (h) {
      var li = el("li", h.status === "active" ? "active" : "queued");
      li.setAttribute("data-number", h.number);
      if (isMine(h)) li.classList.add("mine");
      if (h.number === state.current && state.view === "conversation") li.classList.add("current");
      var head = el("div", "item-head");
      head.appendChild(el("strong", null, h.number));
      if (h.status === "queued") {
        position += 1;
        waiting += 1;
        head.appendChild(el("span", "chip warn", t("queue_position", { position: number(position) })));
      } else if (isMine(h)) {
        head.appendChild(el("span", "chip info", t("yours")));
      } else {
        head.appendChild(el("span", "chip", t("with_agent", { name: agentName(h.agent) })));
      }
      if (state.fresh[h.number]) head.appendChild(el("span", "chip bad", t("new")));
      var count = unread(h.number);
      if (count) {
        var badge = el("span", "badge unread", count);
        badge.setAttribute("aria-label", t("unread", { n: count }));
        head.appendChild(badge);
      }
      li.appendChild(head);
      li.appendChild(el("span", h.guest ? "item-who guest" : "item-who", customerName(h)));
      var meta = el("div", "item-meta");
      meta.appendChild(el("span", null, word("channel", h.channel)));
      if (h.status === "queued") {
        var waited = (now - new Date(h.created_at).getTime()) / 1000;
        meta.appendChild(el("span", "waited", t("waiting_for", { time: span(waited) })));
        var left = state.waitTarget - waited;
        var sla = el("span", "sla " + (left < 0 ? "late" : left < 60 ? "soon" : ""),
          left < 0 ? t("overdue_by", { time: span(-left) }) : t("due_in", { time: span(left) }));
        meta.appendChild(sla);
        if (left < 0) li.classList.add("late");
      } else if (h.taken_at) {
        meta.appendChild(el("span", null, t("taken_at", { time: clock(h.taken_at) })));
      }
      li.appendChild(meta);
      var actions = el("div", "item-actions");
      actions.appendChild(button(state.tabs.indexOf(h.number) >= 0 ? t("show_conversation") : t("open"), "open", function () { showConversation(h.number); }));
      if (h.status === "queued") {
        actions.appendChild(button(t("take"), "take primary", function () { take(h.number); }));
      }
      li.appendChild(actions);
      list.appendChild(li);
    });
    if (!items.length) list.appendChild(el("li", "empty", t("nobody_waiting")));
    var inbox = $("inbox-count");
    inbox.hidden = !waiting;
    inbox.textContent = waiting;
    inbox.setAttribute("aria-label", t("waiting_count", { n: waiting }));
  }

  function updateTitle() {
    var total = 0;
    Object.keys(state.convs).forEach(function (n) { total += unread(n); });
    total += Object.keys(state.fresh).length;
    document.title = total ? "(" + total + ") " + t("title") : t("title");
  }

  function agentName(id) {
    if (state.agent && id === state.agent.id) return state.agent.name || id;
    var found = state.agents.filter(function (a) { return a.id === id; })[0];
    return found ? found.name : (id || "?");
  }

  // --- open conversations (tabs) -------------------------------------------------------------------

  function renderTabs() { keepFocus("open-tabs", drawTabs); }

  function drawTabs() {
    var bar = $("open-tabs");
    bar.textContent = "";
    state.tabs.forEach(function (number) {
      var tab = el("div", "open-tab" + (number === state.current && state.view === "conversation" ? " current" : ""));
      tab.setAttribute("data-number", number);
      var show = button(number, "tab-show", function () { showConversation(number); });
      show.setAttribute("role", "tab");
      show.setAttribute("aria-selected", number === state.current ? "true" : "false");
      var count = unread(number);
      if (count) {
        var badge = el("span", "badge", count);
        badge.setAttribute("aria-label", t("unread", { n: count }));
        show.appendChild(badge);
      }
      tab.appendChild(show);
      var close = button("×", "tab-close", function () { closeTab(number); });
      close.setAttribute("aria-label", t("close_tab_of", { number: number }));
      tab.appendChild(close);
      bar.appendChild(tab);
    });
    bar.hidden = !state.tabs.length;
  }

  function addTab(number) {
    if (state.tabs.indexOf(number) < 0) state.tabs.push(number);
    if (!state.convs[number]) state.convs[number] = { lines: [], unread: 0, loaded: false, customer: null };
  }

  function showConversation(number) {
    addTab(number);
    stopTyping();
    state.current = number;
    state.view = "conversation";
    delete state.fresh[number];
    var conv = state.convs[number];
    conv.unread = 0;
    showView("conversation");
    if (conv.loaded) renderConversation();
    else {
      $("conv-title").textContent = t("conversation_number", { number: number });
      $("conv-meta").textContent = t("loading");
    }
    send({ type: "open", number: number });  // the server watches it from now on; a fresh copy
    renderQueue();
  }

  function closeTab(number) {
    var index = state.tabs.indexOf(number);
    if (index < 0) return;
    state.tabs.splice(index, 1);
    delete state.convs[number];
    if (state.current === number) {
      state.current = null;
      var next = state.tabs[Math.min(index, state.tabs.length - 1)];
      if (next) showConversation(next);
      else { $("conv").hidden = true; $("conv-empty").hidden = false; $("conv-title").textContent = t("conversation"); $("conv-meta").textContent = ""; renderCustomer(null); }
    }
    renderQueue();
  }

  function moveTab(step) {
    if (!state.tabs.length) return;
    var index = state.tabs.indexOf(state.current);
    showConversation(state.tabs[(index + step + state.tabs.length) % state.tabs.length]);
  }

  // --- the conversation shown ----------------------------------------------------------------------

  function updateActions() {
    var h = state.current ? (state.queue[state.current] || (state.convs[state.current] || {}).handoff) : null;
    var open = !!(h && h.status !== "closed" && state.queue[state.current]);
    $("take").hidden = !(open && h.status === "queued");
    var own = open && isMine(h);
    $("handback").hidden = !own;
    $("close").hidden = !own;
    $("transfer").hidden = !own;
    $("mode-reply").disabled = !own;
    if (!own && state.mode === "reply") setMode("note", false);
    if (own && state.mode === "note" && !$("reply-text").value && !state.noteChosen) setMode("reply", false);
  }

  function setMode(mode, focus) {
    state.mode = mode;
    $(mode === "note" ? "mode-note" : "mode-reply").checked = true;
    $("reply").classList.toggle("noting", mode === "note");
    $("reply-label").textContent = mode === "note" ? t("note_label") : t("mode_reply");
    $("send").textContent = mode === "note" ? t("add_note") : t("send");
    $("reply-text").placeholder = mode === "note" ? t("note_placeholder") : t("reply_placeholder");
    if (focus) $("reply-text").focus();
  }

  $("mode-reply").addEventListener("change", function () { state.noteChosen = false; setMode("reply", true); });
  $("mode-note").addEventListener("change", function () { state.noteChosen = true; setMode("note", true); });

  function lineNode(item) {
    var li = el("li", item.role);
    var who = item.role === "user" ? t("line_customer") : item.role === "agent" ? (item.agent || t("line_agent")) :
      item.role === "note" ? t("line_note", { name: item.agent_name || item.agent }) : t("line_assistant");
    li.appendChild(el("span", "who", who + (item.at ? " · " + clock(item.at) : "")));
    li.appendChild(document.createTextNode(item.text || ""));
    (item.files || []).forEach(function (file) {
      // Files the customer sent an agent: a download link each (files kept only by name have none).
      var box = el("span", "file");
      if (file.id) {
        var link = el("a", null, file.name);
        link.href = "/agents/api/files/" + encodeURIComponent(file.id);
        link.setAttribute("download", file.name);
        box.appendChild(link);
      } else {
        box.textContent = file.name;
      }
      if (file.size) box.appendChild(document.createTextNode(" (" + t("size_kb", { size: number(Math.max(1, Math.round(file.size / 1024))) }) + ")"));
      li.appendChild(box);
    });
    return li;
  }

  function renderConversation() {
    var conv = state.convs[state.current];
    if (!conv || !conv.loaded) return;
    var h = state.queue[state.current] || conv.handoff;
    $("conv-empty").hidden = true;
    $("conv").hidden = false;
    $("conv-title").textContent = t("conversation_number", { number: h.number });
    var meta = [word("channel", h.channel), t("started", { time: when(h.created_at) })];
    if (h.status === "closed") meta.push(t("closed"));
    else if (h.agent) meta.push(t("with_lower", { name: agentName(h.agent) }));
    $("conv-meta").textContent = meta.join(" · ");
    var list = $("transcript");
    list.textContent = "";
    conv.lines.forEach(function (item) { list.appendChild(lineNode(item)); });
    list.scrollTop = list.scrollHeight;
    $("customer-typing").hidden = true;
    renderCustomer(conv.customer);
    updateActions();
  }

  function addLine(number, item) {
    var conv = state.convs[number];
    if (!conv) return;
    conv.lines.push(item);
    var shown = number === state.current && state.view === "conversation";
    if (shown) {
      var list = $("transcript");
      list.appendChild(lineNode(item));
      list.scrollTop = list.scrollHeight;
    }
    if (item.role === "user" && (!shown || document.hidden)) {
      conv.unread += 1;
      alertAgent(t("alert_message", { number: number }), item.text || "", number);
      renderQueue();
    }
  }

  function byTime(a, b) { return (a.at || "") < (b.at || "") ? -1 : (a.at || "") > (b.at || "") ? 1 : 0; }

  function loaded(frame) {
    var h = frame.handoff;
    if (h.status === "closed") delete state.queue[h.number];
    else state.queue[h.number] = Object.assign(state.queue[h.number] || {}, h);
    if (!state.convs[h.number]) return;  // a tab closed meanwhile
    var conv = state.convs[h.number];
    var notes = (frame.notes || []).map(function (n) { return Object.assign({ role: "note" }, n); });
    conv.lines = (frame.transcript || []).concat(notes).sort(byTime);
    conv.customer = frame.customer || {};
    conv.language = frame.language || state.language;
    conv.handoff = h;
    conv.loaded = true;
    if (h.number === state.current && state.view === "conversation") renderConversation();
    renderQueue();
  }

  // --- the customer --------------------------------------------------------------------------------

  function card(box, title) {
    var c = el("section", "card");
    c.appendChild(el("h3", null, title));
    box.appendChild(c);
    return c;
  }

  function field(list, name, value) {
    list.appendChild(el("dt", null, name));
    list.appendChild(el("dd", null, value));
  }

  function entry(list, top, badge, badgeClass, sub) {
    var li = el("li");
    var row = el("div", "row-top");
    row.appendChild(el("strong", null, top));
    if (badge) row.appendChild(el("span", "chip " + (badgeClass || ""), badge));
    li.appendChild(row);
    (sub || []).forEach(function (line) { if (line) li.appendChild(el("span", "sub", line)); });
    list.appendChild(li);
  }

  var ORDER_TONE = { delivered: "ok", shipped: "info", cancelled: "", in_production: "warn" };
  var INVOICE_TONE = { paid: "ok", overdue: "bad", awaiting_approval: "warn", open: "info" };
  var REQUEST_TONE = { open: "warn", in_progress: "info", answered: "ok", closed: "" };

  function renderCustomer(c) {
    var box = $("customer");
    box.textContent = "";
    if (!c) { box.appendChild(el("p", "empty-state", t("customer_empty"))); return; }
    if (c.guest) {
      // Only what the visitor typed, marked so; no company's data is shown for a guest.
      var g = card(box, t("card_guest"));
      g.appendChild(el("p", "unverified", t("guest_unverified")));
      var list = el("dl", "facts");
      field(list, t("name_unverified"), c.name || "–");
      field(list, t("email_unverified"), c.email || "–");
      field(list, t("customer_number"), c.stated_customer_number ?
        t("stated_number", { number: c.stated_customer_number }) : "–");
      g.appendChild(list);
      return;
    }
    var who = card(box, t("customer"));
    who.appendChild(el("p", "big", c.name || c.user_id || t("unknown_customer")));
    if (c.user_id) who.appendChild(el("p", "line", c.user_id));
    var company = card(box, t("company"));
    company.appendChild(el("p", "big", c.company || "–"));
    if (c.customer_numbers && c.customer_numbers.length) {
      company.appendChild(el("p", "line", t("customer_numbers", { numbers: c.customer_numbers.join(", ") })));
    }
    if (c.country) company.appendChild(el("p", "line", t("country", { country: c.country })));
    var access = card(box, t("may_use"));
    var chips = el("div", "chips");
    var labels = c.grant_labels && c.grant_labels.length ? c.grant_labels : (c.grants || []);
    labels.forEach(function (label) { chips.appendChild(el("span", "chip", label)); });
    if (!labels.length) chips.appendChild(el("span", "sub", t("nothing_granted")));
    access.appendChild(chips);

    var orders = el("ul");
    (c.orders || []).forEach(function (o) {
      entry(orders, t("order_number", { number: o.number }), o.status_label, ORDER_TONE[o.status], [
        t("ordered", { date: o.ordered_label || o.ordered_at }) + (o.total_label ? " · " + o.total_label : ""),
        o.expected_label ? t("expected", { date: o.expected_label }) : null,
        o.po_number ? t("po_number", { number: o.po_number }) : null
      ]);
    });
    card(box, t("recent_orders")).appendChild((c.orders || []).length ? orders : el("p", "sub", t("no_orders")));

    var invoices = el("ul");
    (c.invoices || []).forEach(function (i) {
      entry(invoices, t("invoice_number", { number: i.number }), i.status_label, INVOICE_TONE[i.status], [
        i.total_label + (i.open_label && i.open_label !== i.total_label ? " · " + t("still_open", { amount: i.open_label }) : ""),
        t("issued_due", { issued: i.issued_label, due: i.due_label })
      ]);
    });
    card(box, t("invoices")).appendChild((c.invoices || []).length ? invoices : el("p", "sub", t("no_invoices")));

    var requests = el("ul");
    (c.requests || []).forEach(function (r) {
      var waiting = r.status !== "closed" && r.status !== "answered" && r.due_at;
      entry(requests, r.number, r.status_label || word("status", r.status), REQUEST_TONE[r.status], [
        r.subject, waiting ? t("due_at", { time: r.due_label || when(r.due_at) }) : null
      ]);
    });
    card(box, t("requests")).appendChild((c.requests || []).length ? requests : el("p", "sub", t("no_requests")));
  }

  // --- actions on a conversation ------------------------------------------------------------------------

  function take(number) {
    addTab(number);
    state.current = number;
    state.view = "conversation";
    send({ type: "take", number: number });
  }

  $("take").addEventListener("click", function () { if (state.current) take(state.current); });
  $("handback").addEventListener("click", function () {
    if (state.current) send({ type: "hand_back", number: state.current });
  });
  $("reply").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply-text").value.trim();
    if (!text || !state.current) { $("reply-text").focus(); return; }
    if (state.mode === "note") send({ type: "note", number: state.current, text: text });
    else send({ type: "reply", number: state.current, text: text });
    $("reply-text").value = "";
    hideSuggest();
    stopTyping();
  });
  $("close").addEventListener("submit", function (event) {
    event.preventDefault();
    var resolution = $("resolution").value.trim();
    if (!resolution || !state.current) { $("resolution").focus(); return; }
    send({ type: "close", number: state.current, resolution: resolution });
    $("resolution").value = "";
  });
  $("transfer").addEventListener("submit", function (event) {
    event.preventDefault();
    var to = $("transfer-to").value;
    if (!to || !state.current) { $("transfer-to").focus(); return; }
    send({ type: "transfer", number: state.current, to: to });
  });

  function renderAgents() {
    var select = $("transfer-to");
    var chosen = select.value;
    select.textContent = "";
    var others = state.agents.filter(function (a) { return !state.agent || a.id !== state.agent.id; });
    var first = el("option", null, others.length ? t("choose_agent") : t("no_other_agent"));
    first.value = "";
    select.appendChild(first);
    others.forEach(function (a) {
      var option = el("option", null, a.status === "away" ? t("agent_away", { name: a.name }) : a.name);
      option.value = a.id;
      if (a.id === chosen) option.selected = true;
      select.appendChild(option);
    });
  }

  function stopTyping() {
    window.clearTimeout(state.typingTimer);
    if (state.typing && state.current) send({ type: "typing", number: state.current, on: false });
    state.typing = false;
  }

  $("reply-text").addEventListener("input", function () {
    suggestFromText();
    if (state.mode !== "reply" || !isMine(state.queue[state.current])) return;
    if (!state.typing) { state.typing = true; send({ type: "typing", number: state.current, on: true }); }
    window.clearTimeout(state.typingTimer);
    state.typingTimer = window.setTimeout(stopTyping, 3000);
  });

  // --- canned replies ------------------------------------------------------------------------------

  function conversationLanguage() {
    var conv = state.convs[state.current];
    return (conv && conv.language) || state.language;
  }

  function cannedFor(prefix) {
    var language = conversationLanguage();
    return state.canned.filter(function (c) {
      return c.language === language && c.shortcut.indexOf(prefix) === 0;
    });
  }

  function slashToken() {
    var box = $("reply-text"), upTo = box.value.slice(0, box.selectionStart);
    var match = /(^|\s)\/([a-z0-9_-]*)$/.exec(upTo);
    return match ? { start: upTo.length - match[2].length - 1, prefix: match[2] } : null;
  }

  function suggestFromText() {
    var token = slashToken();
    if (!token) { hideSuggest(); return; }
    showSuggest(cannedFor(token.prefix), token.start);
  }

  function showSuggest(items, start) {
    var list = $("canned-suggest");
    state.suggest = items;
    state.suggestAt = start;
    state.suggestIndex = 0;
    list.textContent = "";
    if (!items.length) {
      list.appendChild(el("li", "empty", state.canned.length ? t("no_canned_here") : t("no_canned")));
    }
    items.forEach(function (c, index) {
      var li = el("li");
      li.id = "canned-option-" + c.id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === 0 ? "true" : "false");
      li.appendChild(el("span", "short", "/" + c.shortcut));
      li.appendChild(el("span", null, c.title));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); insertCanned(c); });
      list.appendChild(li);
    });
    list.hidden = false;
    $("reply-text").setAttribute("aria-activedescendant", items.length ? "canned-option-" + items[0].id : "");
  }

  function hideSuggest() {
    $("canned-suggest").hidden = true;
    state.suggest = [];
    $("reply-text").removeAttribute("aria-activedescendant");
  }

  function moveSuggest(step) {
    if (!state.suggest.length) return;
    state.suggestIndex = (state.suggestIndex + step + state.suggest.length) % state.suggest.length;
    var options = $("canned-suggest").querySelectorAll("[role=option]");
    Array.prototype.forEach.call(options, function (o, i) {
      o.setAttribute("aria-selected", i === state.suggestIndex ? "true" : "false");
      if (i === state.suggestIndex) o.scrollIntoView({ block: "nearest" });
    });
    $("reply-text").setAttribute("aria-activedescendant", "canned-option-" + state.suggest[state.suggestIndex].id);
  }

  function insertCanned(c) {
    var box = $("reply-text");
    var conv = state.convs[state.current];
    var first = conv && conv.customer && conv.customer.name ? String(conv.customer.name).split(" ")[0] : "";
    var text = c.text.replace(/\{name\}/g, first);
    var token = slashToken();
    var start = token ? token.start : state.suggestAt || box.selectionStart;
    var end = token ? box.selectionStart : start;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    var at = start + text.length;
    box.setSelectionRange(at, at);
    hideSuggest();
    box.focus();
    box.dispatchEvent(new Event("input"));
  }

  function listCanned() {
    var box = $("reply-text");
    box.focus();
    showSuggest(cannedFor(""), box.selectionStart);
  }
  $("canned-open").addEventListener("click", listCanned);

  $("reply-text").addEventListener("keydown", function (event) {
    var open = !$("canned-suggest").hidden && state.suggest.length;
    if (open && (event.key === "Tab" || event.key === "Enter")) {
      event.preventDefault();
      insertCanned(state.suggest[state.suggestIndex || 0]);
    } else if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      moveSuggest(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape" && !$("canned-suggest").hidden) {
      event.preventDefault();
      hideSuggest();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $("reply").requestSubmit();
    }
  });
  $("reply-text").addEventListener("blur", function () { window.setTimeout(hideSuggest, 150); });

  // Support administrators manage the canned replies (the server refuses anyone else).
  function loadCannedList() {
    api("canned").then(function (r) { return r.json(); }).then(function (data) {
      var list = $("canned-list");
      list.textContent = "";
      (data.items || []).forEach(function (c) {
        var li = el("li");
        var head = el("div", "row-top");
        head.appendChild(el("strong", null, "/" + c.shortcut + " · " + c.title));
        head.appendChild(el("span", "chip", c.language === "sv" ? t("language_sv") : t("language_en")));
        li.appendChild(head);
        li.appendChild(el("div", "sub", c.text));
        var row = el("div", "row");
        row.appendChild(button(t("edit"), null, function () {
          $("canned-id").value = c.id;
          $("canned-language").value = c.language;
          $("canned-shortcut").value = c.shortcut;
          $("canned-title-input").value = c.title;
          $("canned-text").value = c.text;
          $("canned-shortcut").focus();
        }));
        var remove = button(t("delete"), null, function () {
          api("canned/" + c.id, undefined, "DELETE").then(function (r) {
            $("canned-note").textContent = r.status === 204 ? t("deleted", { shortcut: c.shortcut }) : t("delete_failed");
            loadCannedList();
          });
        });
        remove.setAttribute("aria-label", t("delete_label", { shortcut: c.shortcut, language: c.language }));
        row.appendChild(remove);
        li.appendChild(row);
        list.appendChild(li);
      });
      if (!(data.items || []).length) list.appendChild(el("li", "empty", t("no_canned")));
    });
  }

  function clearCannedForm() {
    $("canned-id").value = "";
    $("canned-shortcut").value = "";
    $("canned-title-input").value = "";
    $("canned-text").value = "";
  }

  $("canned-manage").addEventListener("click", function () {
    $("canned-dialog").showModal();
    $("canned-note").textContent = "";
    loadCannedList();
  });
  $("canned-new").addEventListener("click", function () { clearCannedForm(); $("canned-shortcut").focus(); });
  $("canned-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = $("canned-id").value;
    var body = {
      language: $("canned-language").value, shortcut: $("canned-shortcut").value.trim(),
      title: $("canned-title-input").value.trim(), text: $("canned-text").value.trim()
    };
    api(id ? "canned/" + id : "canned", body, id ? "PUT" : "POST").then(function (r) {
      $("canned-note").textContent = r.status === 200 || r.status === 201 ? t("saved", { shortcut: body.shortcut }) :
        r.status === 409 ? t("shortcut_taken") : r.status === 403 ? t("canned_admins_only") : t("canned_fill_in");
      if (r.status === 200 || r.status === 201) { clearCannedForm(); loadCannedList(); }
    });
  });

  // --- search in transcripts ------------------------------------------------------------------------

  $("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("search-text").value.trim();
    if (text.length < 2) { $("search-note").textContent = t("search_too_short"); return; }
    $("search-note").textContent = t("searching");
    state.searching = true;
    send({ type: "search", text: text });
  });

  function marked(text, words) {
    var box = el("span", "hit-text");
    var lower = text.toLowerCase(), needle = words.toLowerCase(), at = 0, found;
    while (needle && (found = lower.indexOf(needle, at)) >= 0) {
      box.appendChild(document.createTextNode(text.slice(at, found)));
      box.appendChild(el("mark", null, text.slice(found, found + needle.length)));
      at = found + needle.length;
    }
    box.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }

  function renderSearch(frame) {
    var list = $("search-results");
    list.textContent = "";
    var items = frame.items || [];
    state.searching = false;
    state.lastSearch = frame;
    $("search-note").textContent = items.length ? t(items.length === 50 ? "found_more" : "found", { n: items.length }) : t("nothing_found");
    items.forEach(function (hit) {
      var li = el("li");
      var head = el("div", "item-head");
      head.appendChild(el("strong", null, hit.number));
      head.appendChild(el("span", "chip", hit.role === "user" ? t("line_customer") : hit.role === "agent" ? t("line_agent") : t("line_assistant")));
      li.appendChild(head);
      li.appendChild(marked(hit.text, frame.text.trim()));
      li.appendChild(el("span", "item-meta", when(hit.at)));
      var actions = el("div", "item-actions");
      actions.appendChild(button(t("open"), null, function () { showConversation(hit.number); }));
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  // --- customers' requests ---------------------------------------------------------------------------

  var WAITING_FOR_SUPPORT = { open: true, in_progress: true };

  function showView(which) {
    state.view = which;
    $("conversation").hidden = which !== "conversation";
    $("request-view").hidden = which !== "request";
    $("customer-panel").hidden = which !== "conversation";
    $("console").classList.toggle("request-mode", which === "request");
    $("open-tabs").hidden = !state.tabs.length;
  }

  // The server's order: what waits for support first, then the rest; each oldest due first.
  function byWork(a, b) {
    var ga = WAITING_FOR_SUPPORT[a.status] ? 0 : 1, gb = WAITING_FOR_SUPPORT[b.status] ? 0 : 1;
    if (ga !== gb) return ga - gb;
    if (a.due_at !== b.due_at) {
      if (!a.due_at) return 1;
      if (!b.due_at) return -1;
      return new Date(a.due_at) - new Date(b.due_at);
    }
    return a.number < b.number ? -1 : 1;
  }

  function askRequests() {
    var status = $("requests-filter").value;
    send(status ? { type: "requests", status: status } : { type: "requests" });
  }

  function renderRequests() { keepFocus("requests", drawRequests); }

  function drawRequests() {
    var list = $("requests");
    list.textContent = "";
    var late = 0;
    state.requests.forEach(function (r) {
      var li = el("li", r.overdue ? "overdue" : null);
      li.setAttribute("data-number", r.number);
      if (state.request === r.number && state.view === "request") li.classList.add("current");
      if (r.overdue) late += 1;
      var head = el("div", "item-head");
      var open = button(r.number, "request-open", function () { send({ type: "request", number: r.number }); });
      head.appendChild(open);
      head.appendChild(el("span", "chip " + (REQUEST_TONE[r.status] || ""), word("status", r.status)));
      li.appendChild(head);
      li.appendChild(el("span", "item-who", r.subject));
      li.appendChild(el("div", r.guest_email ? "sub guest" : "sub", r.guest_email ? guestLine(r) :
        r.company + " (" + r.customer_number + ") — " + (r.requester_name || r.requester)));
      var due = r.overdue ? t("overdue_since", { time: when(r.due_at) }) : t("due_at", { time: when(r.due_at) });
      li.appendChild(el("span", "due", due + " · " + word("category", r.category) + " · " + word("priority", r.priority)));
      list.appendChild(li);
    });
    if (!state.requests.length) list.appendChild(el("li", "empty", t("no_requests_to_show")));
    var badge = $("requests-count");
    badge.hidden = !late;
    badge.textContent = late;
    badge.setAttribute("aria-label", t("overdue_count", { n: late }));
    badge.className = "badge";
  }

  function guestLine(r) {
    return t("guest_line", { name: r.requester_name || "", email: r.guest_email });
  }

  function requestChanged(r) {
    var filter = $("requests-filter").value;
    var fits = r.status !== "closed" && (!filter || filter === r.status);
    var kept = state.requests.filter(function (item) { return item.number !== r.number; });
    if (fits) kept.push(r);
    kept.sort(byWork);
    state.requests = kept;
    renderRequests();
  }

  function showRequest(r) {
    state.request = r.number;
    state.shownRequest = r;
    stopTyping();
    showView("request");
    $("request-title").textContent = t("request_number", { number: r.number });
    var facts = $("request-facts");
    facts.textContent = "";
    field(facts, t("subject"), r.subject);
    if (r.guest_email) {
      field(facts, t("company"), t("guests_request"));
      field(facts, t("requester"), guestLine(r));
      field(facts, t("customer_number"), r.guest_customer_number ?
        t("stated_number", { number: r.guest_customer_number }) : "–");
    } else {
      field(facts, t("company"), r.company + " (" + r.customer_number + ")");
      field(facts, t("requester"), (r.requester_name || "") + (r.requester ? " <" + r.requester + ">" : ""));
    }
    field(facts, t("category"), word("category", r.category) + (r.related ? " — " + r.related : ""));
    field(facts, t("priority"), word("priority", r.priority));
    field(facts, t("status"), word("status", r.status));
    field(facts, t("opened"), when(r.created_at));
    field(facts, t("due"), when(r.due_at) + (r.overdue ? " " + t("overdue_mark") : ""));
    if (r.overdue) facts.lastChild.classList.add("late");
    $("request-description").textContent = r.description || "";

    var history = $("request-history");
    history.textContent = "";
    (r.history || []).forEach(function (e) {
      var li = el("li", e.kind);
      li.appendChild(el("span", "who", when(e.at) + " · " + word("kind", e.kind) + " · " + e.author));
      li.appendChild(document.createTextNode(e.text || ""));
      history.appendChild(li);
    });

    var documents = $("request-documents");
    documents.textContent = "";
    (r.documents || []).forEach(function (d) {
      var li = el("li");
      var link = el("a", null, d.name);
      link.href = d.url;
      link.setAttribute("download", d.name);
      li.appendChild(link);
      li.appendChild(document.createTextNode(
        " (" + t("size_kb", { size: number(Math.max(1, Math.round(d.size / 1024))) }) + ", " + d.content_type + ") — " +
        d.uploaded_by + ", " + when(d.at)));
      li.appendChild(el("div", "sha", "SHA-256 " + d.sha256));
      documents.appendChild(li);
    });
    if (!(r.documents || []).length) documents.appendChild(el("li", "empty", t("no_documents")));
    $("close-request").hidden = r.status === "closed";
    requestChanged(r);
    renderQueue();
  }

  $("requests-filter").addEventListener("change", askRequests);
  $("answer").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("answer-text").value.trim();
    if (!text || !state.request) { $("answer-text").focus(); return; }
    send({ type: "answer", number: state.request, text: text });
  });
  $("close-request").addEventListener("submit", function (event) {
    event.preventDefault();
    var resolution = $("request-resolution").value.trim();
    if (!resolution || !state.request) { $("request-resolution").focus(); return; }
    send({ type: "close_request", number: state.request, resolution: resolution });
  });

  // --- the review list of missed messages -----------------------------------------------------------


  function askReview() { send({ type: "review" }); }

  function reviewAction(item, frame) {
    frame.id = item.id;
    send(frame);
    $("review-note").textContent = t("saving");
  }

  function renderReview() {
    var list = $("review");
    list.textContent = "";
    state.review.forEach(function (m) {
      var li = el("li", "miss");
      li.setAttribute("data-id", m.id);
      li.appendChild(el("q", "miss-text", m.text));
      var why = word("reason", m.reason);
      if (m.followed_by && m.followed_by !== m.reason) why += ", " + word("followed", m.followed_by);
      var guess = m.intent === "none" ? t("no_intent") : m.intent + " (" + number(Math.round(m.confidence * 100)) + " %)";
      li.appendChild(el("div", "miss-why", why + " · " + t("guessed", { guess: guess }) + (m.repeats > 1 ? " · " + t("times", { n: m.repeats }) : "")));
      li.appendChild(el("div", "miss-where", m.language + " · " + word("channel", m.channel) + " · " + when(m.at) + " · " + t("conversation_key", { key: m.conversation })));
      var label = el("label", null, t("intent"));
      var select = el("select", "miss-intent");
      select.id = "intent-" + m.id;
      label.htmlFor = select.id;
      select.appendChild(el("option", null, t("choose"))).value = "";
      // (what the agent chose is kept when the list is drawn again: another listing may arrive meanwhile)
      var chosen = state.chosen[m.id] || m.suggestion || (m.intent !== "none" ? m.intent : "");
      state.intents.forEach(function (name) {
        var option = el("option", null, name);
        option.value = name;
        if (name === chosen) option.selected = true;
        select.appendChild(option);
      });
      select.addEventListener("change", function () { state.chosen[m.id] = select.value; });
      li.appendChild(label);
      li.appendChild(select);
      li.appendChild(button(t("assign"), "miss-assign", function () {
        if (!select.value) { select.focus(); return; }
        reviewAction(m, { type: "review_assign", intent: select.value });
      }));
      li.appendChild(button(t("out_of_scope"), "miss-out-of-scope", function () { reviewAction(m, { type: "review_out_of_scope" }); }));
      li.appendChild(button(t("dismiss"), "miss-dismiss", function () { reviewAction(m, { type: "review_dismiss" }); }));
      list.appendChild(li);
    });
    if (!state.review.length) list.appendChild(el("li", "empty", t("nothing_to_review")));
  }

  function reviewResolved(id) {
    state.review = state.review.filter(function (m) { return m.id !== id; });
    renderReview();
  }

  $("review-refresh").addEventListener("click", askReview);
  $("review-reload").addEventListener("click", function () {
    send({ type: "review_reload" });
    $("review-note").textContent = t("reloading");
  });

  // --- frames ----------------------------------------------------------------------------------------

  function onFrame(frame) {
    if (!frame || typeof frame.type !== "string") return;
    var h;
    if (frame.type === "ready") {
      if (frame.wait_target) state.waitTarget = frame.wait_target;
      if (state.agent && frame.agent) state.agent.admin = !!frame.agent.admin;
      $("canned-manage").hidden = !(state.agent && state.agent.admin);
      $("dashboard-link").hidden = !(state.agent && state.agent.admin);
      showStatus(frame.agent && frame.agent.status);
    } else if (frame.type === "queue") {
      state.queue = {};
      (frame.items || []).forEach(function (item) { state.queue[item.number] = item; });
      // The conversations already open in tabs, and the agent's own, are watched again.
      (frame.items || []).forEach(function (item) { if (isMine(item)) addTab(item.number); });
      state.tabs.forEach(function (number) { send({ type: "open", number: number }); });
      if (!state.current && state.tabs.length) showConversation(state.tabs[0]);
      renderQueue();
    } else if (frame.type === "queued" && frame.handoff) {
      state.queue[frame.handoff.number] = frame.handoff;
      if (state.status === "available") {
        state.fresh[frame.handoff.number] = true;
        alertAgent(t("alert_waiting"), frame.handoff.number + " · " + customerName(frame.handoff), frame.handoff.number);
      }
      $("status").textContent = t("is_waiting", { number: frame.handoff.number });
      renderQueue();
    } else if (frame.type === "taken") {
      h = state.queue[frame.number];
      if (h) { h.status = "active"; h.agent = frame.agent; h.taken_at = h.taken_at || new Date().toISOString(); }
      delete state.fresh[frame.number];
      if (frame.transferred_by && state.agent && frame.agent === state.agent.id) {
        addTab(frame.number);
        send({ type: "open", number: frame.number });
        state.convs[frame.number].unread += 1;
        $("status").textContent = t("transferred_to_you", { name: agentName(frame.transferred_by), number: frame.number });
        alertAgent(t("alert_transferred"), frame.number, frame.number);
      } else if (frame.transferred_by && state.agent && frame.transferred_by === state.agent.id) {
        $("status").textContent = t("now_with", { number: frame.number, name: agentName(frame.agent) });
      }
      if (frame.number === state.current) renderConversation();
      renderQueue();
    } else if (frame.type === "closed") {
      delete state.queue[frame.number];
      delete state.fresh[frame.number];
      var closed = state.convs[frame.number];
      if (closed && closed.handoff) closed.handoff.status = "closed";
      if (state.current === frame.number) { $("status").textContent = t("is_closed", { number: frame.number }); renderConversation(); }
      renderQueue();
    } else if (frame.type === "conversation") {
      loaded(frame);
    } else if (frame.type === "message") {
      if (frame.role === "user" && frame.number === state.current) $("customer-typing").hidden = true;
      addLine(frame.number, frame);
    } else if (frame.type === "note") {
      addLine(frame.number, Object.assign({ role: "note" }, frame));
    } else if (frame.type === "typing") {
      if (frame.number === state.current) $("customer-typing").hidden = !frame.on;
    } else if (frame.type === "agents") {
      state.agents = (frame.items || []).slice();
      renderAgents();
    } else if (frame.type === "agents_changed") {
      send({ type: "agents" });
    } else if (frame.type === "agent_status") {
      if (state.agent && frame.agent === state.agent.id) showStatus(frame.status);
      send({ type: "agents" });
    } else if (frame.type === "canned") {
      state.canned = (frame.items || []).slice();
    } else if (frame.type === "canned_changed") {
      send({ type: "canned" });
    } else if (frame.type === "search") {
      renderSearch(frame);
    } else if (frame.type === "request_new") {
      state.announce = frame.number;  // the list as it is now, then say which one is new
      askRequests();
    } else if (frame.type === "requests") {
      state.requests = (frame.items || []).slice();
      renderRequests();
      var fresh = state.requests.filter(function (r) { return r.number === state.announce; })[0];
      state.announce = null;
      if (fresh) {
        $("requests-note").textContent = t("new_request", { number: fresh.number, subject: fresh.subject });
        alertAgent(t("alert_request", { number: fresh.number }), fresh.subject, fresh.number);
      }
    } else if (frame.type === "request" && frame.request) {
      showRequest(frame.request);
    } else if (frame.type === "request_changed" && frame.request) {
      requestChanged(frame.request);
    } else if (frame.type === "review") {
      state.review = (frame.items || []).slice();
      state.intents = (frame.intents || []).slice();
      renderReview();
    } else if (frame.type === "review_changed") {
      reviewResolved(frame.id);
    } else if (frame.type === "result" && frame.action && frame.action.indexOf("review") === 0) {
      if (frame.action === "review_reload") $("review-note").textContent = t("reloaded");
      else if (!frame.ok) $("review-note").textContent = t("handled_elsewhere");
      else $("review-note").textContent = frame.action === "review_dismiss" ? t("dismissed") : t("learned");
      if (frame.id) reviewResolved(frame.id);
    } else if (frame.type === "result" && (frame.action === "answer" || frame.action === "close_request")) {
      if (frame.ok && frame.number === state.request) {
        if (frame.action === "answer") $("answer-text").value = "";
        else $("request-resolution").value = "";
      }
      var guest = state.requests.filter(function (r) { return r.number === frame.number && r.guest_email; })[0];
      $("requests-note").textContent = frame.action !== "answer" ? t("request_closed", { number: frame.number }) :
        guest ? t("guest_answer", { number: frame.number, email: guest.guest_email }) : t("answer_sent", { number: frame.number });
    } else if (frame.type === "result" && frame.action === "status") {
      showStatus(frame.status);
      $("status").textContent = frame.status === "away" ? t("now_away") : t("now_available");
    } else if (frame.type === "result" && frame.action === "transfer") {
      if (!frame.ok) $("status").textContent = t("transfer_failed", { number: frame.number });
    } else if (frame.type === "result" && frame.action === "note") {
      if (!frame.ok) $("status").textContent = t("note_failed", { number: frame.number });
    } else if (frame.type === "result") {
      if (!frame.ok && frame.action === "take") {
        $("status").textContent = t("taken_by_other", { number: frame.number });
        showConversation(frame.number);  // still there to read
      } else if (frame.ok && frame.action === "take") {
        showConversation(frame.number);
        setMode("reply", true);
      } else if (frame.ok) {
        $("status").textContent = t("done", { number: frame.number });
      }
    } else if (frame.type === "error") {
      var where = frame.number && frame.number.indexOf("RQ-") === 0 ? "requests-note" : "status";
      $(where).textContent = (frame.number ? frame.number + ": " : "") +
        (frame.code === "not_found" ? t("not_found") : t("went_wrong", { code: frame.code }));
      if (!frame.number && state.searching) { state.searching = false; $("search-note").textContent = t("search_failed"); }
    }
  }

  function connect() {
    var url = new URL("/agents/ws?lang=" + encodeURIComponent(state.language), window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(url.href);
    state.ws = ws;
    ws.onopen = function () {
      state.attempts = 0;
      $("status").textContent = "";
      askRequests();
      askReview();
      send({ type: "canned" });
      send({ type: "agents" });
    };
    ws.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(frame);
    };
    ws.onclose = function (event) {
      if (state.ws !== ws || !state.agent) return;
      if (event.code === 4001) {  // the session ended (signed out here or elsewhere, a new password...)
        state.ws = null;
        showSignedIn(null);
        $("login-error").textContent = t("signed_out");
        return;
      }
      state.attempts += 1;
      $("status").textContent = t("connection_lost");
      window.setTimeout(connect, Math.min(15000, 500 * Math.pow(2, state.attempts)));
    };
  }

  // --- keyboard shortcuts (listed in the page's Shortcuts dialog) ------------------------------------

  $("shortcuts-open").addEventListener("click", function () { $("shortcuts").showModal(); });

  document.addEventListener("keydown", function (event) {
    if (!state.agent || $("console").hidden) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (event.key === "?" && !typing && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      $("shortcuts").showModal();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var key = (event.code || "").replace(/^Key/, "").toLowerCase();
    var done = true;
    if (key === "j") moveTab(1);
    else if (key === "k") moveTab(-1);
    else if (key === "t") { if (state.current && state.queue[state.current] && state.queue[state.current].status === "queued") take(state.current); }
    else if (key === "r") { if (!$("mode-reply").disabled) { state.noteChosen = false; setMode("reply", true); } }
    else if (key === "n") { state.noteChosen = true; setMode("note", true); }
    else if (key === "c") { if (state.current) listCanned(); }
    else if (key === "w") { if (state.current) closeTab(state.current); }
    else if (key === "s") { showRail("search"); $("search-text").focus(); }
    else if (key === "a") toggleStatus();
    else done = false;
    if (done) event.preventDefault();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && state.current && state.convs[state.current] && state.view === "conversation") {
      state.convs[state.current].unread = 0;
      renderQueue();
    }
  });

  // Waiting times and the queue's due times move on by themselves.
  window.setInterval(function () { if (state.agent && !$("console").hidden) renderQueue(); }, 20000);

  // --- the page's language --------------------------------------------------------------------------

  // Everything drawn from data is drawn again in the new words; the WebSocket reconnects in the new
  // language, so the customer's records come again in it too.
  function redraw() {
    setMode(state.mode, false);
    showStatus(state.status);
    if (state.agent) $("who").textContent = t("signed_in_as", { name: state.agent.name || state.agent.id });
    renderQueue();
    renderTabs();
    renderAgents();
    renderRequests();
    renderReview();
    if (state.lastSearch) renderSearch(state.lastSearch);
    if (state.view === "request" && state.shownRequest) showRequest(state.shownRequest);
    else if (state.current) renderConversation();
    else { $("conv-title").textContent = t("conversation"); renderCustomer(null); }
  }

  $("language").addEventListener("change", function () {
    var language = this.value;
    try { window.localStorage.setItem("sb-agent-language", language); } catch (e) { /* not kept */ }
    loadWords(language).then(function () {
      redraw();
      if (state.agent && state.ws) {
        var old = state.ws;
        old.onclose = null;
        old.close();
        state.ws = null;
        connect();
      }
    });
  });

  setMode("reply", false);
  api("session").then(function (r) { return r.json(); }).then(function (data) {
    var agent = data.agent || null;
    return loadWords(pickLanguage(agent)).then(function () {
      setMode("reply", false);
      showSignedIn(agent);
    });
  }).catch(function () { showSignedIn(null); });
})();
