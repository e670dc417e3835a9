/* supportbot agent console (docs/agent-console.md).
 * Plain script, no build step. Customer and agent text is only ever set with textContent.
 */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var state = {
    agent: null, ws: null, queue: {}, current: null, typingTimer: null, typing: false, attempts: 0,
    requests: [], request: null, review: [], intents: []
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function api(path, body) {
    return window.fetch("/agents/api/" + path, {
      method: body === undefined ? "GET" : "POST",
      credentials: "same-origin",
      headers: body === undefined ? { "Accept": "application/json" } :
        { "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function send(frame) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(frame));
  }

  // --- sign-in ---------------------------------------------------------------------------------------

  function showSignedIn(agent) {
    state.agent = agent;
    $("login").hidden = !!agent;
    $("console").hidden = !agent;
    $("signout").hidden = !agent;
    $("signout-everywhere").hidden = !agent;
    $("who").textContent = agent ? "Signed in as " + (agent.name || agent.id) : "";
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
      if (result.status === 200) { showSignedIn(result.data.agent); return; }
      // One answer for a wrong password and for someone who is not an agent: the server tells neither.
      $("login-error").textContent =
        result.status === 401 ? "That user ID and password don't match a support agent's." :
        result.status === 429 ? "Too many attempts. Please wait a few minutes." : "Signing in didn't work.";
    }).catch(function () { $("login-error").textContent = "Signing in didn't work."; });
  });

  function signOut(path) {
    api(path, {}).then(function () {
      if (state.ws) { state.ws.onclose = null; state.ws.close(); }
      showSignedIn(null);
    });
  }
  $("signout").addEventListener("click", function () { signOut("logout"); });
  $("signout-everywhere").addEventListener("click", function () { signOut("logout-everywhere"); });

  // --- the queue -------------------------------------------------------------------------------------

  function renderQueue() {
    var list = $("queue");
    list.textContent = "";
    var items = Object.keys(state.queue).map(function (k) { return state.queue[k]; });
    items.sort(function (a, b) { return a.number < b.number ? -1 : 1; });
    var position = 0;
    items.forEach(function (h) {
      var li = el("li", h.status === "active" ? "active" : "queued");
      li.setAttribute("data-number", h.number);
      if (h.agent && state.agent && h.agent === state.agent.id) li.classList.add("mine");
      li.appendChild(el("strong", null, h.number));
      var line = h.status === "queued" ? " — waiting, number " + (++position) : " — with " + (h.agent || "?");
      li.appendChild(el("span", "queue-state", line));
      if (h.guest) {
        // A web chat guest: who they said they are, which nobody verified.
        li.appendChild(el("div", "guest", h.guest.name + " <" + h.guest.email + "> — guest, not verified"));
      } else {
        li.appendChild(el("div", null, h.user_id || "guest"));
      }
      var open = el("button", "open", "Open");
      open.type = "button";
      open.addEventListener("click", function () { send({ type: "open", number: h.number }); });
      li.appendChild(open);
      if (h.status === "queued") {
        var take = el("button", "take", "Take over");
        take.type = "button";
        take.addEventListener("click", function () { send({ type: "take", number: h.number }); });
        li.appendChild(take);
      }
      list.appendChild(li);
    });
    if (!items.length) list.appendChild(el("li", "empty", "No one is waiting."));
    updateActions();
  }

  // --- the open conversation -------------------------------------------------------------------------

  function mine() {
    var h = state.current && state.queue[state.current];
    return !!(h && h.status === "active" && state.agent && h.agent === state.agent.id);
  }

  function updateActions() {
    var h = state.current ? state.queue[state.current] : null;
    $("take").hidden = !(h && h.status === "queued");
    var own = mine();
    $("handback").hidden = !own;
    $("reply").hidden = !own;
    $("close").hidden = !own;
  }

  function addLine(item) {
    var li = el("li", item.role);
    var who = item.role === "user" ? "Customer" : item.role === "agent" ? (item.agent || "Agent") : "Bot";
    li.appendChild(el("span", "who", who));
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
        box.appendChild(document.createTextNode(file.name));
      }
      if (file.size) box.appendChild(document.createTextNode(" (" + Math.max(1, Math.round(file.size / 1024)) + " kB)"));
      li.appendChild(box);
    });
    $("transcript").appendChild(li);
    $("transcript").scrollTop = $("transcript").scrollHeight;
  }

  function field(list, label, value) {
    list.appendChild(el("dt", null, label));
    list.appendChild(el("dd", null, value));
  }

  function renderCustomer(c) {
    var box = $("customer");
    box.textContent = "";
    var list = el("dl");
    if (c.guest) {
      // Only what the visitor typed, marked so; no company's data is shown for a guest.
      box.appendChild(el("p", "unverified", "Guest, not signed in: name and e-mail not verified."));
      field(list, "Name (not verified)", c.name || "–");
      field(list, "E-mail (not verified)", c.email || "–");
      field(list, "Customer number", c.stated_customer_number ?
        c.stated_customer_number + " (stated by the visitor, not verified)" : "–");
      box.appendChild(list);
      return;
    }
    field(list, "Customer", (c.name || "") + (c.user_id ? " <" + c.user_id + ">" : " (guest)"));
    field(list, "Company", (c.company || "–") + (c.customer_numbers && c.customer_numbers.length ?
      " (" + c.customer_numbers.join(", ") + ")" : ""));
    field(list, "Grants", (c.grants || []).join(", ") || "none");
    field(list, "Recent orders", (c.orders || []).map(function (o) { return o.number + " " + o.status; }).join(", ") || "–");
    field(list, "Requests", (c.requests || []).map(function (r) {
      var due = r.due_at && r.status !== "closed" && r.status !== "answered" ?
        ", due " + new Date(r.due_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
      return r.number + " " + r.subject + " (" + r.status + due + ")";
    }).join("; ") || "–");
    box.appendChild(list);
  }

  function showConversation(frame) {
    var h = frame.handoff;
    state.queue[h.number] = state.queue[h.number] && h.status !== "closed" ? Object.assign(state.queue[h.number], h) : h;
    if (h.status === "closed") delete state.queue[h.number];
    state.current = h.number;
    showView("conversation");
    $("conv-empty").hidden = true;
    $("conv").hidden = false;
    $("conv-title").textContent = "Conversation " + h.number;
    renderCustomer(frame.customer || {});
    $("transcript").textContent = "";
    $("customer-typing").hidden = true;
    (frame.transcript || []).forEach(addLine);
    renderQueue();
  }

  // --- customers' requests ---------------------------------------------------------------------------

  var WAITING_FOR_SUPPORT = { open: true, in_progress: true };
  var STATUS_NAMES = {
    open: "open", in_progress: "in progress", waiting_for_customer: "waiting for the customer",
    answered: "answered", closed: "closed"
  };

  function when(iso) {
    return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "–";
  }

  function showView(which) {
    $("conversation").hidden = which !== "conversation";
    $("request-view").hidden = which !== "request";
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

  function renderRequests() {
    var list = $("requests");
    list.textContent = "";
    state.requests.forEach(function (r) {
      var li = el("li", r.overdue ? "overdue" : null);
      li.setAttribute("data-number", r.number);
      if (state.request === r.number) li.classList.add("current");
      var open = el("button", "request-open", r.number);
      open.type = "button";
      open.addEventListener("click", function () { send({ type: "request", number: r.number }); });
      li.appendChild(open);
      li.appendChild(el("span", null, " " + r.subject));
      li.appendChild(el("div", null, r.guest_email ? guestLine(r) :
        r.company + " (" + r.customer_number + ") — " + (r.requester_name || r.requester)));
      var due = r.overdue ? "Overdue since " + when(r.due_at) : "Due " + when(r.due_at);
      li.appendChild(el("span", "due", due + " · " + (STATUS_NAMES[r.status] || r.status) + " · " + r.priority));
      list.appendChild(li);
    });
    if (!state.requests.length) list.appendChild(el("li", "empty", "No requests to show."));
  }

  function guestLine(r) {
    return (r.requester_name || "") + " <" + r.guest_email + "> — guest, name and e-mail not verified";
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
    showView("request");
    $("request-title").textContent = "Request " + r.number;
    var facts = $("request-facts");
    facts.textContent = "";
    field(facts, "Subject", r.subject);
    if (r.guest_email) {
      field(facts, "Company", "– (a guest's request)");
      field(facts, "Requester", guestLine(r));
      field(facts, "Customer number", r.guest_customer_number ?
        r.guest_customer_number + " (stated by the visitor, not verified)" : "–");
    } else {
      field(facts, "Company", r.company + " (" + r.customer_number + ")");
      field(facts, "Requester", (r.requester_name || "") + (r.requester ? " <" + r.requester + ">" : ""));
    }
    field(facts, "Category", r.category + (r.related ? " — " + r.related : ""));
    field(facts, "Priority", r.priority);
    field(facts, "Status", STATUS_NAMES[r.status] || r.status);
    field(facts, "Opened", when(r.created_at));
    field(facts, "Due", when(r.due_at) + (r.overdue ? " (overdue)" : ""));
    if (r.overdue) facts.lastChild.classList.add("late");
    $("request-description").textContent = r.description || "";

    var history = $("request-history");
    history.textContent = "";
    (r.history || []).forEach(function (e) {
      var li = el("li", e.kind);
      li.appendChild(el("span", "who", when(e.at) + " · " + e.kind + " · " + e.author));
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
        " (" + Math.max(1, Math.round(d.size / 1024)) + " kB, " + d.content_type + ") — " +
        d.uploaded_by + ", " + when(d.at)));
      var sha = el("div", "sha", "SHA-256 " + d.sha256);
      li.appendChild(sha);
      documents.appendChild(li);
    });
    if (!(r.documents || []).length) documents.appendChild(el("li", "empty", "No documents."));
    $("close-request").hidden = r.status === "closed";
    requestChanged(r);
  }

  $("requests-filter").addEventListener("change", askRequests);
  $("requests-refresh").addEventListener("click", askRequests);
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

  var REASONS = {
    not_understood: "not understood", low_confidence: "answered with low confidence",
    rephrased: "rephrased next", handoff: "followed by \"talk to a person\""
  };
  var FOLLOWED = { rephrased: "then rephrased", handoff: "then asked for a person" };

  function askReview() { send({ type: "review" }); }

  function reviewAction(item, frame) {
    frame.id = item.id;
    send(frame);
    $("review-note").textContent = "Saving…";
  }

  function renderReview() {
    var list = $("review");
    list.textContent = "";
    state.review.forEach(function (m) {
      var li = el("li", "miss");
      li.setAttribute("data-id", m.id);
      li.appendChild(el("q", "miss-text", m.text));
      var why = REASONS[m.reason] || m.reason;
      if (m.followed_by && m.followed_by !== m.reason) why += ", " + (FOLLOWED[m.followed_by] || m.followed_by);
      var guess = m.intent === "none" ? "no intent" : m.intent + " (" + Math.round(m.confidence * 100) + " %)";
      li.appendChild(el("div", "miss-why", why + " · guessed " + guess + (m.repeats > 1 ? " · " + m.repeats + " times" : "")));
      li.appendChild(el("div", "miss-where", m.language + " · " + m.channel + " · " + when(m.at) + " · conversation " + m.conversation));
      var label = el("label", null, "Intent");
      var select = el("select", "miss-intent");
      select.id = "intent-" + m.id;
      label.htmlFor = select.id;
      select.appendChild(el("option", null, "Choose…")).value = "";
      state.intents.forEach(function (name) {
        var option = el("option", null, name);
        option.value = name;
        if (name === (m.suggestion || (m.intent !== "none" ? m.intent : ""))) option.selected = true;
        select.appendChild(option);
      });
      li.appendChild(label);
      li.appendChild(select);
      var assign = el("button", "miss-assign", "Assign");
      assign.type = "button";
      assign.addEventListener("click", function () {
        if (!select.value) { select.focus(); return; }
        reviewAction(m, { type: "review_assign", intent: select.value });
      });
      var outside = el("button", "miss-out-of-scope", "Out of scope");
      outside.type = "button";
      outside.addEventListener("click", function () { reviewAction(m, { type: "review_out_of_scope" }); });
      var dismiss = el("button", "miss-dismiss", "Dismiss");
      dismiss.type = "button";
      dismiss.addEventListener("click", function () { reviewAction(m, { type: "review_dismiss" }); });
      li.appendChild(assign);
      li.appendChild(outside);
      li.appendChild(dismiss);
      list.appendChild(li);
    });
    if (!state.review.length) list.appendChild(el("li", "empty", "Nothing to review."));
  }

  function reviewResolved(id) {
    state.review = state.review.filter(function (m) { return m.id !== id; });
    renderReview();
  }

  $("review-refresh").addEventListener("click", askReview);
  $("review-reload").addEventListener("click", function () {
    send({ type: "review_reload" });
    $("review-note").textContent = "Reloading…";
  });

  // --- frames ----------------------------------------------------------------------------------------

  function onFrame(frame) {
    if (!frame || typeof frame.type !== "string") return;
    if (frame.type === "queue") {
      state.queue = {};
      (frame.items || []).forEach(function (h) { state.queue[h.number] = h; });
      renderQueue();
    } else if (frame.type === "queued" && frame.handoff) {
      state.queue[frame.handoff.number] = frame.handoff;
      renderQueue();
    } else if (frame.type === "taken") {
      var h = state.queue[frame.number];
      if (h) { h.status = "active"; h.agent = frame.agent; }
      renderQueue();
    } else if (frame.type === "closed") {
      delete state.queue[frame.number];
      if (state.current === frame.number) $("status").textContent = frame.number + " is closed.";
      renderQueue();
    } else if (frame.type === "conversation") {
      showConversation(frame);
    } else if (frame.type === "message") {
      if (frame.number === state.current) {
        if (frame.role === "user") $("customer-typing").hidden = true;
        addLine(frame);
      }
    } else if (frame.type === "typing") {
      if (frame.number === state.current) $("customer-typing").hidden = !frame.on;
    } else if (frame.type === "requests") {
      state.requests = (frame.items || []).slice();
      renderRequests();
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
      if (frame.action === "review_reload") $("review-note").textContent = "Reloaded: the assistant uses the examples learned so far.";
      else if (!frame.ok) $("review-note").textContent = "Someone else has already handled that message.";
      else $("review-note").textContent = frame.action === "review_dismiss" ? "Dismissed." :
        "Learned: the assistant understands messages like it from now on.";
      if (frame.id) reviewResolved(frame.id);
    } else if (frame.type === "result" && (frame.action === "answer" || frame.action === "close_request")) {
      if (frame.ok && frame.number === state.request) {
        if (frame.action === "answer") $("answer-text").value = "";
        else $("request-resolution").value = "";
      }
      var guest = state.requests.filter(function (r) { return r.number === frame.number && r.guest_email; })[0];
      $("requests-note").textContent = frame.number + (frame.action !== "answer" ? ": closed." : guest ?
        ": the answer is recorded. A guest's address is not verified, so nothing was sent: write to " +
        guest.guest_email + " yourself if you judge it right." : ": the answer was sent to the customer.");
    } else if (frame.type === "result") {
      if (!frame.ok && frame.action === "take") $("status").textContent = frame.number + " was taken by another agent.";
      else if (frame.ok && frame.action !== "take") $("status").textContent = frame.number + ": done.";
    } else if (frame.type === "error") {
      var where = frame.number && frame.number.indexOf("RQ-") === 0 ? "requests-note" : "status";
      $(where).textContent = (frame.number ? frame.number + ": " : "") +
        (frame.code === "not_found" ? "Not found." : "Something went wrong (" + frame.code + ").");
    }
  }

  function connect() {
    var url = new URL("/agents/ws", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(url.href);
    state.ws = ws;
    ws.onopen = function () { state.attempts = 0; $("status").textContent = ""; askRequests(); askReview(); };
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
        $("login-error").textContent = "You were signed out. Please sign in again.";
        return;
      }
      state.attempts += 1;
      $("status").textContent = "Connection lost. Reconnecting…";
      window.setTimeout(connect, Math.min(15000, 500 * Math.pow(2, state.attempts)));
    };
  }

  // --- actions ---------------------------------------------------------------------------------------

  $("take").addEventListener("click", function () { if (state.current) send({ type: "take", number: state.current }); });
  $("handback").addEventListener("click", function () {
    if (state.current) send({ type: "hand_back", number: state.current });
  });
  $("reply").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply-text").value.trim();
    if (!text || !state.current) return;
    send({ type: "reply", number: state.current, text: text });
    $("reply-text").value = "";
    stopTyping();
  });
  $("close").addEventListener("submit", function (event) {
    event.preventDefault();
    var resolution = $("resolution").value.trim();
    if (!resolution || !state.current) { $("resolution").focus(); return; }
    send({ type: "close", number: state.current, resolution: resolution });
    $("resolution").value = "";
  });

  function stopTyping() {
    window.clearTimeout(state.typingTimer);
    if (state.typing && state.current) send({ type: "typing", number: state.current, on: false });
    state.typing = false;
  }

  $("reply-text").addEventListener("input", function () {
    if (!mine()) return;
    if (!state.typing) { state.typing = true; send({ type: "typing", number: state.current, on: true }); }
    window.clearTimeout(state.typingTimer);
    state.typingTimer = window.setTimeout(stopTyping, 3000);
  });

  api("session").then(function (r) { return r.json(); }).then(function (data) {
    showSignedIn(data.agent || null);
  }).catch(function () { showSignedIn(null); });
})();
