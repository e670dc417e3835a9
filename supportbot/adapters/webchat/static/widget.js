/* supportbot web chat widget.
 *
 * Embed with one tag:  <script src="https://your.site/webchat/widget.js" defer></script>
 * Options (data attributes on that tag):
 *   data-target="element-id"  render inside that element instead of a floating chat button
 *   data-lang="sv"            start in this language (default: the page's, then the browser's)
 *   data-open="true"          start with the chat open
 * The widget talks to the server it was loaded from (see docs/webchat-protocol.md).
 * Bot and user text is only ever set with textContent: never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var BASE = new URL(".", script.src);
  var STORE_KEY = "supportbot-webchat";

  var TEXT = {
    en: {
      launcher: "Chat with support",
      title: "Support assistant",
      close: "Close chat",
      guest: "Chatting as a guest",
      signedInAs: "Signed in as {name}",
      signIn: "Sign in",
      signOut: "Sign out",
      loginTitle: "Sign in",
      loginIntro: "Sign in to see your company's orders, invoices, contracts and more. " +
        "As a guest I can tell you the status of an order if you have its order number and your customer number.",
      userLabel: "User ID (your e-mail address)",
      passwordLabel: "Password",
      continueGuest: "Continue as guest",
      signingIn: "Signing in…",
      loginFailed: "That user ID and password don't match. Please check them and try again.",
      loginMissing: "Please enter your user ID and your password.",
      loginThrottled: "Too many sign-in attempts. Please wait a few minutes and try again.",
      loginError: "Signing in didn't work just now. Please try again in a moment.",
      signedInNotice: "You're signed in as {name}.",
      signedOutNotice: "You're signed out. A new conversation starts here.",
      newHere: "New here?",
      createAccount: "Create an account",
      registerTitle: "Create an account",
      registerIntro: "Your user ID is your e-mail address and works at once. Your company's administrator " +
        "then gives you access to orders, invoices and the other tools.",
      nameLabel: "Your name",
      emailLabel: "E-mail address",
      customerLabel: "Customer number",
      customerHint: "On your invoices and order confirmations.",
      newPasswordLabel: "Password",
      passwordHint: "At least 10 characters.",
      registerSubmit: "Create account",
      registering: "Creating your account…",
      backToSignIn: "Back to sign-in",
      registerMissing: "Please fill in every field; the password needs at least 10 characters.",
      registerThrottled: "Too many registrations from here. Please try again later.",
      conversation: "Conversation",
      inputLabel: "Your message",
      placeholder: "Type your question…",
      send: "Send",
      you: "You:",
      bot: "Assistant:",
      agent: "{name} (support):",
      typing: "The assistant is typing…",
      connecting: "Connecting…",
      reconnecting: "The connection was lost. Reconnecting…",
      sending: "Sending…",
      notSent: "Not sent.",
      retry: "Try again",
      newTab: "(opens in a new tab)",
      openLink: "Open link",
      suggestions: "Suggested replies",
      table: "Table",
      files: "Files to download",
      welcome: "Hello! I can help with orders, invoices, account statements, contracts, installed equipment " +
        "and support requests. What can I do for you?",
      welcomeGuest: "Hello! As a guest I can tell you the status of an order: give me the order number and " +
        "your customer number. Sign in to see everything else.",
      "error.bad_json": "Sorry, I couldn't read that message. Please try sending it again.",
      "error.bad_frame": "Sorry, that message wasn't in a form I understand. Please try sending it again.",
      "error.too_large": "That message is too large to send. Could you shorten it to a few sentences?",
      "error.rate_limited": "You're sending messages faster than I can keep up with. Please wait a few seconds and try again.",
      "error.internal": "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person."
    },
    sv: {
      launcher: "Chatta med supporten",
      title: "Supportassistent",
      close: "Stäng chatten",
      guest: "Du chattar som gäst",
      signedInAs: "Inloggad som {name}",
      signIn: "Logga in",
      signOut: "Logga ut",
      loginTitle: "Logga in",
      loginIntro: "Logga in för att se ert företags ordrar, fakturor, avtal med mera. " +
        "Som gäst kan jag berätta status för en order om du har ordernumret och ert kundnummer.",
      userLabel: "Användar-id (din e-postadress)",
      passwordLabel: "Lösenord",
      continueGuest: "Fortsätt som gäst",
      signingIn: "Loggar in…",
      loginFailed: "Användar-id och lösenord stämmer inte. Kontrollera dem och försök igen.",
      loginMissing: "Ange ditt användar-id och ditt lösenord.",
      loginThrottled: "För många inloggningsförsök. Vänta några minuter och försök igen.",
      loginError: "Inloggningen fungerade inte just nu. Försök igen om en stund.",
      signedInNotice: "Du är inloggad som {name}.",
      signedOutNotice: "Du är utloggad. Här börjar en ny konversation.",
      newHere: "Ny här?",
      createAccount: "Skapa ett konto",
      registerTitle: "Skapa ett konto",
      registerIntro: "Ditt användar-id är din e-postadress och fungerar direkt. Sedan ger ert företags " +
        "administratör dig behörighet till ordrar, fakturor och de andra verktygen.",
      nameLabel: "Ditt namn",
      emailLabel: "E-postadress",
      customerLabel: "Kundnummer",
      customerHint: "Finns på era fakturor och orderbekräftelser.",
      newPasswordLabel: "Lösenord",
      passwordHint: "Minst 10 tecken.",
      registerSubmit: "Skapa konto",
      registering: "Skapar ditt konto…",
      backToSignIn: "Tillbaka till inloggningen",
      registerMissing: "Fyll i alla fält; lösenordet behöver minst 10 tecken.",
      registerThrottled: "För många registreringar härifrån. Försök igen senare.",
      conversation: "Konversation",
      inputLabel: "Ditt meddelande",
      placeholder: "Skriv din fråga…",
      send: "Skicka",
      you: "Du:",
      bot: "Assistenten:",
      agent: "{name} (supporten):",
      typing: "Assistenten skriver…",
      connecting: "Ansluter…",
      reconnecting: "Anslutningen bröts. Ansluter igen…",
      sending: "Skickar…",
      notSent: "Inte skickat.",
      retry: "Försök igen",
      newTab: "(öppnas i en ny flik)",
      openLink: "Öppna länken",
      suggestions: "Förslag på svar",
      table: "Tabell",
      files: "Filer att ladda ner",
      welcome: "Hej! Jag kan hjälpa till med ordrar, fakturor, kontoutdrag, avtal, installerad utrustning " +
        "och ärenden. Vad kan jag göra för dig?",
      welcomeGuest: "Hej! Som gäst kan jag berätta status för en order: ange ordernumret och ert kundnummer. " +
        "Logga in för att se allt annat.",
      "error.bad_json": "Förlåt, jag kunde inte läsa meddelandet. Försök gärna skicka det igen.",
      "error.bad_frame": "Förlåt, meddelandet hade en form som jag inte förstår. Försök gärna skicka det igen.",
      "error.too_large": "Meddelandet är för stort för att skickas. Kan du korta ner det till några meningar?",
      "error.rate_limited": "Du skickar meddelanden snabbare än jag hinner med. Vänta några sekunder och försök igen.",
      "error.internal": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person."
    }
  };

  function pickLanguage() {
    for (var i = 0; i < arguments.length; i++) {
      var tag = (arguments[i] || "").toLowerCase().slice(0, 2);
      if (TEXT[tag]) return tag;
    }
    return "en";
  }

  // --- small DOM helpers: text only ever goes in as text -----------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "className") node.className = value;
        else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function multiline(node, text) {
    String(text || "").split(/\r\n|\r|\n/).forEach(function (line, index) {
      if (index > 0) node.appendChild(document.createElement("br"));
      node.appendChild(document.createTextNode(line));
    });
    return node;
  }

  function safeUrl(url) {
    if (!url || typeof url !== "string") return null;
    try {
      var parsed = new URL(url, BASE);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function newId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "m-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function remember(key, value) {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "{}");
      saved[key] = value;
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(saved));
    } catch (e) { /* storage may be off: the widget works without it */ }
  }

  function recall(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "{}")[key];
    } catch (e) {
      return undefined;
    }
  }

  // --- the widget --------------------------------------------------------------------------------

  function Widget(host, options) {
    this.options = options;
    this.lang = pickLanguage(options.lang, document.documentElement.lang, navigator.language);
    this.user = null;
    this.ws = null;
    this.generation = 0;
    this.attempts = 0;
    this.pending = [];          // messages sent but not yet answered, in order
    this.historyShown = false;
    this.notice = null;         // said once the next history has been shown (after signing in or out)
    this.labels = [];           // [node, attribute or "text", key] to relabel on a language change
    this.root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    this.build(options.floating);
  }

  Widget.prototype.t = function (key, params) {
    var text = (TEXT[this.lang] && TEXT[this.lang][key]) || TEXT.en[key] || key;
    Object.keys(params || {}).forEach(function (name) { text = text.split("{" + name + "}").join(params[name]); });
    return text;
  };

  Widget.prototype.label = function (node, attr, key) {
    this.labels.push([node, attr, key]);
    if (attr === "text") node.textContent = this.t(key);
    else node.setAttribute(attr, this.t(key));
    return node;
  };

  Widget.prototype.setLanguage = function (language) {
    var lang = pickLanguage(language);
    if (!language || lang === this.lang) return;
    this.lang = lang;
    this.frame.setAttribute("lang", lang);
    var self = this;
    this.labels.forEach(function (entry) {
      if (entry[1] === "text") entry[0].textContent = self.t(entry[2]);
      else entry[0].setAttribute(entry[1], self.t(entry[2]));
    });
    this.showWho();
  };

  Widget.prototype.build = function (floating) {
    var self = this;
    this.root.appendChild(el("link", { rel: "stylesheet", href: new URL("widget.css", BASE).href }));
    this.frame = el("div", { className: "sbw " + (floating ? "sbw-floating" : "sbw-inline"), lang: this.lang });
    this.root.appendChild(this.frame);

    if (floating) {
      this.launcher = el("button", { type: "button", className: "sbw-launcher", "aria-expanded": "false",
        "aria-controls": "sbw-panel" });
      this.launcher.appendChild(el("span", { className: "sbw-launcher-icon", "aria-hidden": "true" }));
      this.launcher.appendChild(this.label(el("span", { className: "sbw-launcher-text" }), "text", "launcher"));
      this.launcher.addEventListener("click", function () { self.toggle(); });
      this.frame.appendChild(this.launcher);
    }

    this.panel = el("section", { className: "sbw-panel", id: "sbw-panel", "aria-labelledby": "sbw-title" });
    this.panel.hidden = !!floating;
    this.frame.appendChild(this.panel);

    // header: title, who is chatting, sign in/out, close
    var header = el("header", { className: "sbw-header" });
    var titles = el("div", { className: "sbw-titles" });
    titles.appendChild(this.label(el("h2", { id: "sbw-title", className: "sbw-title" }), "text", "title"));
    this.who = el("p", { className: "sbw-who" });
    titles.appendChild(this.who);
    header.appendChild(titles);
    this.signInButton = this.label(el("button", { type: "button", className: "sbw-header-button" }), "text", "signIn");
    this.signInButton.addEventListener("click", function () { self.showLogin(true); });
    this.signOutButton = this.label(el("button", { type: "button", className: "sbw-header-button" }), "text", "signOut");
    this.signOutButton.hidden = true;
    this.signOutButton.addEventListener("click", function () { self.signOut(); });
    header.appendChild(this.signInButton);
    header.appendChild(this.signOutButton);
    if (floating) {
      var close = el("button", { type: "button", className: "sbw-close" });
      this.label(close, "aria-label", "close");
      close.appendChild(el("span", { "aria-hidden": "true", text: "×" }));
      close.addEventListener("click", function () { self.toggle(false); });
      header.appendChild(close);
    }
    this.panel.appendChild(header);

    // sign-in form
    this.login = el("form", { className: "sbw-login", "aria-labelledby": "sbw-login-title", novalidate: true });
    this.login.hidden = true;
    this.login.appendChild(this.label(el("h3", { id: "sbw-login-title" }), "text", "loginTitle"));
    this.login.appendChild(this.label(el("p", { className: "sbw-login-intro" }), "text", "loginIntro"));
    this.login.appendChild(this.label(el("label", { for: "sbw-user" }), "text", "userLabel"));
    this.userInput = el("input", { id: "sbw-user", name: "username", type: "email", autocomplete: "username",
      autocapitalize: "off", spellcheck: "false", required: true });
    this.login.appendChild(this.userInput);
    this.login.appendChild(this.label(el("label", { for: "sbw-password" }), "text", "passwordLabel"));
    this.passwordInput = el("input", { id: "sbw-password", name: "password", type: "password",
      autocomplete: "current-password", required: true });
    this.login.appendChild(this.passwordInput);
    this.loginError = el("p", { className: "sbw-login-error", role: "alert" });
    this.login.appendChild(this.loginError);
    var actions = el("div", { className: "sbw-login-actions" });
    this.loginSubmit = this.label(el("button", { type: "submit", className: "sbw-primary" }), "text", "signIn");
    actions.appendChild(this.loginSubmit);
    var guest = this.label(el("button", { type: "button", className: "sbw-secondary" }), "text", "continueGuest");
    guest.addEventListener("click", function () { remember("guest", true); self.showLogin(false); });
    actions.appendChild(guest);
    this.login.appendChild(actions);
    var newHere = el("p", { className: "sbw-login-new" });
    newHere.appendChild(this.label(el("span"), "text", "newHere"));
    newHere.appendChild(document.createTextNode(" "));
    var create = this.label(el("button", { type: "button", className: "sbw-link" }), "text", "createAccount");
    create.addEventListener("click", function () { self.showRegister(true); });
    newHere.appendChild(create);
    this.login.appendChild(newHere);
    this.login.addEventListener("submit", function (event) { event.preventDefault(); self.signIn(); });
    this.login.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); self.showLogin(false); }
    });
    this.panel.appendChild(this.login);
    this.register = null;       // the "Create an account" form, built when first asked for

    // the conversation
    this.chat = el("div", { className: "sbw-chat" });
    this.status = el("p", { className: "sbw-status", role: "status" });
    this.chat.appendChild(this.status);
    this.log = el("ol", { className: "sbw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      tabindex: "0" });
    this.label(this.log, "aria-label", "conversation");
    this.chat.appendChild(this.log);
    this.typing = el("p", { className: "sbw-typing", role: "status" });
    this.typing.appendChild(el("span", { className: "sbw-dots", "aria-hidden": "true" },
      [el("span"), el("span"), el("span")]));
    this.typingText = this.label(el("span", { className: "sbw-typing-text" }), "text", "typing");
    this.typing.appendChild(this.typingText);
    this.typing.hidden = true;
    this.chat.appendChild(this.typing);

    this.compose = el("form", { className: "sbw-compose" });
    this.compose.appendChild(this.label(el("label", { for: "sbw-input", className: "sbw-sr" }), "text", "inputLabel"));
    this.input = el("textarea", { id: "sbw-input", rows: "1", autocomplete: "off" });
    this.label(this.input, "placeholder", "placeholder");
    this.compose.appendChild(this.input);
    this.sendButton = this.label(el("button", { type: "submit", className: "sbw-send" }), "text", "send");
    this.compose.appendChild(this.sendButton);
    this.compose.addEventListener("submit", function (event) { event.preventDefault(); self.submit(); });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); self.submit(); }
    });
    this.input.addEventListener("input", function () { self.grow(); self.typingInput(); });
    this.chat.appendChild(this.compose);
    this.panel.appendChild(this.chat);

    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && floating) { self.toggle(false); }
    });
    this.showWho();
  };

  // The "Create an account" form: each field with its own error line, read out with the field.
  Widget.prototype.buildRegister = function () {
    var self = this;
    var form = el("form", { className: "sbw-register", "aria-labelledby": "sbw-register-title",
      novalidate: true });
    form.hidden = true;
    form.appendChild(this.label(el("h3", { id: "sbw-register-title" }), "text", "registerTitle"));
    form.appendChild(this.label(el("p", { className: "sbw-login-intro" }), "text", "registerIntro"));
    this.registerFields = {};
    [
      ["name", "nameLabel", { type: "text", autocomplete: "name", maxlength: "200" }, null],
      ["email", "emailLabel", { type: "email", autocomplete: "email", autocapitalize: "off", spellcheck: "false" }, null],
      ["customer_number", "customerLabel", { type: "text", inputmode: "numeric", autocomplete: "off" }, "customerHint"],
      ["password", "newPasswordLabel", { type: "password", autocomplete: "new-password", minlength: "10" }, "passwordHint"]
    ].forEach(function (spec) {
      var id = "sbw-reg-" + spec[0];
      form.appendChild(self.label(el("label", { for: id }), "text", spec[1]));
      var attrs = { id: id, name: spec[0], required: true, "aria-describedby": id + "-error" };
      Object.keys(spec[2]).forEach(function (name) { attrs[name] = spec[2][name]; });
      if (spec[3]) attrs["aria-describedby"] = id + "-hint " + id + "-error";
      var input = el("input", attrs);
      form.appendChild(input);
      if (spec[3]) form.appendChild(self.label(el("p", { id: id + "-hint", className: "sbw-hint" }), "text", spec[3]));
      var error = el("p", { id: id + "-error", className: "sbw-field-error" });
      form.appendChild(error);
      self.registerFields[spec[0]] = { input: input, error: error };
    });
    this.registerError = el("p", { className: "sbw-login-error", role: "alert" });
    form.appendChild(this.registerError);
    var actions = el("div", { className: "sbw-login-actions" });
    this.registerSubmit = this.label(el("button", { type: "submit", className: "sbw-primary" }), "text", "registerSubmit");
    actions.appendChild(this.registerSubmit);
    var back = this.label(el("button", { type: "button", className: "sbw-secondary" }), "text", "backToSignIn");
    back.addEventListener("click", function () { self.showLogin(true); });
    actions.appendChild(back);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) { event.preventDefault(); self.signUp(); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); self.showLogin(true); }
    });
    this.register = form;
    this.panel.insertBefore(form, this.chat);
  };

  Widget.prototype.showRegister = function (show) {
    if (!this.register) this.buildRegister();
    this.register.hidden = !show;
    this.login.hidden = true;
    this.chat.hidden = show;
    this.signInButton.hidden = show || !!this.user;
    this.clearRegisterErrors();
    if (show) this.registerFields.name.input.focus();
    else this.input.focus();
  };

  Widget.prototype.clearRegisterErrors = function () {
    var fields = this.registerFields;
    Object.keys(fields).forEach(function (name) {
      fields[name].error.textContent = "";
      fields[name].input.removeAttribute("aria-invalid");
    });
    this.registerError.textContent = "";
  };

  Widget.prototype.signUp = function () {
    var self = this;
    var fields = this.registerFields;
    var body = {};
    Object.keys(fields).forEach(function (name) {
      body[name] = name === "password" ? fields[name].input.value : fields[name].input.value.trim();
    });
    this.clearRegisterErrors();
    if (!body.name || !body.email || !body.customer_number || body.password.length < 10) {
      this.registerError.textContent = this.t("registerMissing");
      return;
    }
    this.registerSubmit.disabled = true;
    this.registerSubmit.textContent = this.t("registering");
    this.api("register", body).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    }).then(function (result) {
      var data = result.data;
      if (result.status === 200) {
        fields.password.input.value = "";
        self.register.hidden = true;
        self.chat.hidden = false;
        if (data.user) {
          self.user = data.user;
          self.showWho();
          self.notice = String(data.message || "") + "\n" + self.t("signedInNotice", { name: self.user.name || self.user.id });
          self.connect();
        } else {
          self.showWho();
          self.addNotice(String(data.message || ""), "info");
        }
        self.input.focus();
        return;
      }
      if (result.status === 400 && data.fields) {
        var first = null;
        Object.keys(data.fields).forEach(function (name) {
          if (!fields[name]) return;
          fields[name].error.textContent = String(data.fields[name]);
          fields[name].input.setAttribute("aria-invalid", "true");
          first = first || fields[name].input;
        });
        self.registerError.textContent = String(data.message || "");
        if (first) first.focus();
        return;
      }
      self.registerError.textContent = self.t(result.status === 429 ? "registerThrottled" :
        result.status === 400 ? "registerMissing" : "loginError");
    }).catch(function () {
      self.registerError.textContent = self.t("loginError");
    }).finally(function () {
      self.registerSubmit.disabled = false;
      self.registerSubmit.textContent = self.t("registerSubmit");
    });
  };

  Widget.prototype.grow = function () {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 140) + "px";
  };

  Widget.prototype.toggle = function (open) {
    if (!this.launcher) return;
    var show = open === undefined ? this.panel.hidden : open;
    this.panel.hidden = !show;
    this.launcher.setAttribute("aria-expanded", show ? "true" : "false");
    this.frame.classList.toggle("sbw-open", show);
    remember("open", show);
    if (show) this.focusFirst();
    else this.launcher.focus();
  };

  Widget.prototype.focusFirst = function () {
    if (this.register && !this.register.hidden) this.registerFields.name.input.focus();
    else if (!this.login.hidden) this.userInput.focus();
    else this.input.focus();
  };

  Widget.prototype.showWho = function () {
    if (this.user) {
      var name = this.user.name || this.user.id;
      this.who.textContent = this.t("signedInAs", { name: name }) + (this.user.company ? " · " + this.user.company : "");
    } else {
      this.who.textContent = this.t("guest");
    }
    this.signInButton.hidden = !!this.user;
    this.signOutButton.hidden = !this.user;
  };

  Widget.prototype.showLogin = function (show, quiet) {
    this.login.hidden = !show;
    if (this.register) this.register.hidden = true;
    this.chat.hidden = show;
    this.signInButton.hidden = show || !!this.user;
    this.loginError.textContent = "";
    if (quiet) return;
    if (show) this.userInput.focus();
    else this.input.focus();
  };

  // --- the conversation log ----------------------------------------------------------------------

  Widget.prototype.scrollDown = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // A long answer is shown from its start; a short one simply at the bottom.
  Widget.prototype.reveal = function (item) {
    var top = item.offsetTop - 12;  // the log is the items' offset parent
    if (item.offsetHeight > this.log.clientHeight - 24) this.log.scrollTop = top;
    else this.scrollDown();
  };

  Widget.prototype.time = function (at) {
    var when = at ? new Date(at) : new Date();
    if (isNaN(when.getTime())) return null;
    return el("time", { className: "sbw-time", datetime: when.toISOString(),
      text: when.toLocaleTimeString(this.lang === "sv" ? "sv-SE" : "en-GB", { hour: "2-digit", minute: "2-digit" }) });
  };

  Widget.prototype.addUser = function (text, at) {
    var item = el("li", { className: "sbw-msg sbw-from-user" });
    item.appendChild(el("span", { className: "sbw-sr", text: this.t("you") + " " }));
    item.appendChild(multiline(el("div", { className: "sbw-bubble" }), text));
    var meta = el("div", { className: "sbw-meta" }, [this.time(at)]);
    item.appendChild(meta);
    this.log.appendChild(item);
    this.scrollDown();
    return item;
  };

  Widget.prototype.addNotice = function (text, kind) {
    var item = el("li", { className: "sbw-notice" + (kind ? " sbw-notice-" + kind : "") });
    item.appendChild(multiline(el("span"), text));
    this.log.appendChild(item);
    this.scrollDown();
    return item;
  };

  Widget.prototype.link = function (url, label, className) {
    var href = safeUrl(url);
    if (!href) return null;
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer", className: className });
    a.appendChild(document.createTextNode(label || href));
    a.appendChild(el("span", { className: "sbw-sr", text: " " + this.t("newTab") }));
    return a;
  };

  Widget.prototype.buttons = function (buttons) {
    if (!buttons || !buttons.length) return null;
    var self = this;
    var group = el("div", { className: "sbw-buttons", role: "group", "aria-label": this.t("suggestions") });
    buttons.forEach(function (button) {
      var node = el("button", { type: "button", className: "sbw-chip", text: button.label });
      node.addEventListener("click", function () { self.send(String(button.value), true); });
      group.appendChild(node);
    });
    return group;
  };

  Widget.prototype.card = function (card) {
    var box = el("div", { className: "sbw-card", role: "group", "aria-label": card.title });
    box.appendChild(el("h3", { className: "sbw-card-title", text: card.title }));
    if (card.subtitle) box.appendChild(el("p", { className: "sbw-card-subtitle", text: card.subtitle }));
    if (card.fields && card.fields.length) {
      var list = el("dl", { className: "sbw-fields" });
      card.fields.forEach(function (field) {
        list.appendChild(el("div", { className: "sbw-field" }, [
          el("dt", { text: field.label }),
          multiline(el("dd"), field.value)
        ]));
      });
      box.appendChild(list);
    }
    if (card.link) box.appendChild(this.link(card.link.url, card.link.label || this.t("openLink"), "sbw-card-link"));
    box.appendChild(this.buttons(card.buttons) || document.createTextNode(""));
    return box;
  };

  Widget.prototype.table = function (table) {
    var wrap = el("div", { className: "sbw-table-wrap", role: "region", tabindex: "0", "aria-label": this.t("table") });
    var head = el("tr", null, table.columns.map(function (column) { return el("th", { scope: "col", text: column }); }));
    var body = el("tbody", null, table.rows.map(function (row) {
      return el("tr", null, row.map(function (cell) { return el("td", { text: cell }); }));
    }));
    wrap.appendChild(el("table", { className: "sbw-table" }, [el("thead", null, [head]), body]));
    return wrap;
  };

  Widget.prototype.files = function (attachments) {
    var self = this;
    var list = el("ul", { className: "sbw-files", "aria-label": this.t("files") });
    attachments.forEach(function (file) {
      var size = typeof file.size === "number" ? " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)" : "";
      var a = self.link(file.url, file.name, "sbw-file");
      if (a) list.appendChild(el("li", null, [a, document.createTextNode(size)]));
    });
    return list;
  };

  Widget.prototype.addBot = function (text, reply, at) {
    var self = this;
    var item = el("li", { className: "sbw-msg sbw-from-bot" });
    item.appendChild(el("span", { className: "sbw-sr", text: this.t("bot") + " " }));
    item.appendChild(multiline(el("div", { className: "sbw-bubble" }), reply ? reply.text : text));
    if (reply) {
      (reply.cards || []).forEach(function (card) { item.appendChild(self.card(card)); });
      if (reply.table) item.appendChild(this.table(reply.table));
      if (reply.attachments && reply.attachments.length) item.appendChild(this.files(reply.attachments));
      var group = this.buttons(reply.buttons);
      if (group) item.appendChild(group);
    }
    item.appendChild(el("div", { className: "sbw-meta" }, [this.time(at)]));
    this.log.appendChild(item);
    this.reveal(item);
    return item;
  };

  // A support agent's line during a handoff: plain text, with who wrote it.
  Widget.prototype.addAgent = function (text, agent, at) {
    var item = el("li", { className: "sbw-msg sbw-from-bot sbw-from-agent" });
    item.appendChild(el("span", { className: "sbw-agent-name", text: this.t("agent", { name: agent || "" }) + " " }));
    item.appendChild(multiline(el("div", { className: "sbw-bubble" }), text));
    item.appendChild(el("div", { className: "sbw-meta" }, [this.time(at)]));
    this.log.appendChild(item);
    this.reveal(item);
    return item;
  };

  function isEmptyReply(reply) {
    return !reply || (!reply.text && !(reply.cards || []).length && !reply.table &&
      !(reply.buttons || []).length && !(reply.attachments || []).length);
  }

  Widget.prototype.welcome = function () {
    this.addNotice(this.t(this.user ? "welcome" : "welcomeGuest"), "welcome");
  };

  Widget.prototype.renderHistory = function (items) {
    var self = this;
    this.log.textContent = "";
    items.forEach(function (item) {
      if (item.role === "user") self.addUser(item.text, item.at);
      else if (typeof item.agent === "string") self.addAgent(item.text, item.agent, item.at);
      else self.addBot(item.text, item.reply, item.at);
    });
    if (!items.length) this.welcome();
    if (this.notice) { this.addNotice(this.notice, "info"); this.notice = null; }
    this.historyShown = true;
  };

  // --- sending and receiving ---------------------------------------------------------------------

  Widget.prototype.submit = function () {
    var text = this.input.value;
    if (!text.trim()) { this.input.focus(); return; }
    this.input.value = "";
    this.grow();
    this.send(text, false);
    this.stopTyping();
  };

  // "typing" frames, at most one every few seconds: a support agent who has the chat sees them.
  Widget.prototype.typingInput = function () {
    var self = this;
    var now = Date.now();
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.typingSent || now - this.typingSent > 3000) {
      this.typingSent = now;
      this.ws.send(JSON.stringify({ type: "typing", on: true }));
    }
    window.clearTimeout(this.typingStop);
    this.typingStop = window.setTimeout(function () { self.stopTyping(); }, 4000);
  };

  Widget.prototype.stopTyping = function () {
    window.clearTimeout(this.typingStop);
    if (!this.typingSent) return;
    this.typingSent = 0;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "typing", on: false }));
  };

  Widget.prototype.send = function (text, button) {
    var entry = { id: newId(), text: text, button: !!button, resent: false, node: null };
    entry.node = this.addUser(text);
    this.markPending(entry);
    this.pending.push(entry);
    this.transmit(entry);
  };

  Widget.prototype.markPending = function (entry) {
    entry.node.classList.add("sbw-pending");
    var meta = entry.node.querySelector(".sbw-meta");
    entry.state = el("span", { className: "sbw-state", text: this.t("sending") });
    meta.appendChild(entry.state);
  };

  Widget.prototype.transmit = function (entry) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;  // sent on reconnect
    var frame = { type: "message", id: entry.id, text: entry.text };
    if (entry.button) frame.button = true;
    this.ws.send(JSON.stringify(frame));
  };

  Widget.prototype.settle = function (id) {
    for (var i = 0; i < this.pending.length; i++) {
      if (this.pending[i].id === id) {
        var entry = this.pending.splice(i, 1)[0];
        entry.node.classList.remove("sbw-pending");
        if (entry.state) entry.state.remove();
        return entry;
      }
    }
    return null;
  };

  Widget.prototype.fail = function (entry, code) {
    var self = this;
    entry.node.classList.add("sbw-failed");
    var meta = entry.node.querySelector(".sbw-meta");
    meta.appendChild(el("span", { className: "sbw-state", text: this.t("notSent") }));
    if (code === "rate_limited" || code === "internal") {
      var retry = el("button", { type: "button", className: "sbw-retry", text: this.t("retry") });
      retry.addEventListener("click", function () {
        entry.node.remove();
        self.send(entry.text, entry.button);
      });
      meta.appendChild(retry);
    }
  };

  Widget.prototype.onFrame = function (frame) {
    if (!frame || typeof frame.type !== "string") return;
    if (frame.type === "ready") {
      this.user = frame.user || null;
      if (frame.language) this.setLanguage(frame.language);
      this.showWho();
    } else if (frame.type === "history") {
      this.renderHistory(Array.isArray(frame.items) ? frame.items : []);
      var self = this;
      this.pending.forEach(function (entry) {  // not answered yet as far as we know: send again, same id
        entry.node = self.addUser(entry.text);
        self.markPending(entry);
        entry.resent = true;
        self.transmit(entry);
      });
    } else if (frame.type === "typing") {
      this.typing.hidden = !frame.on;
      if (frame.on) this.scrollDown();
    } else if (frame.type === "reply") {
      var entry = this.settle(frame.in_reply_to);
      if (frame.reply && frame.reply.language) this.setLanguage(frame.reply.language);
      if (frame.repeat && entry && entry.resent) {
        entry.node.remove();  // answered before the connection dropped: the history already shows it
        return;
      }
      if (frame.repeat && !entry) return;
      if (isEmptyReply(frame.reply)) return;  // an agent has the conversation: the bot keeps quiet
      this.addBot(frame.reply ? frame.reply.text : "", frame.reply, null);
    } else if (frame.type === "agent") {
      this.typing.hidden = true;
      if (typeof frame.text === "string") this.addAgent(frame.text, String(frame.agent || ""), null);
    } else if (frame.type === "notice") {
      // Something the assistant tells this user on its own (an access request to decide, an outcome).
      if (frame.reply) this.addBot(frame.reply.text || "", frame.reply, null);
    } else if (frame.type === "error") {
      this.typing.hidden = true;
      var failed = frame.in_reply_to ? this.settle(frame.in_reply_to) : null;
      if (failed) this.fail(failed, frame.code);
      var key = "error." + frame.code;
      this.addNotice(TEXT.en[key] ? this.t(key) : String(frame.message || ""), "error");
    }
  };

  Widget.prototype.connect = function () {
    var self = this;
    var generation = ++this.generation;
    if (this.ws) { try { this.ws.close(); } catch (e) { /* already closed */ } }
    var url = new URL("ws", BASE);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("lang", this.lang);
    this.status.textContent = this.attempts ? this.t("reconnecting") : this.t("connecting");
    var ws = new WebSocket(url.href);
    this.ws = ws;
    var pinger = null;
    ws.addEventListener("open", function () {
      if (generation !== self.generation) return;
      self.attempts = 0;
      self.status.textContent = "";
      pinger = window.setInterval(function () {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
      }, 25000);
    });
    ws.addEventListener("message", function (event) {
      if (generation !== self.generation || typeof event.data !== "string") return;
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      self.onFrame(frame);
    });
    ws.addEventListener("close", function () {
      window.clearInterval(pinger);
      if (generation !== self.generation) return;
      self.typing.hidden = true;
      self.attempts += 1;
      self.status.textContent = self.t("reconnecting");
      var delay = Math.min(15000, 500 * Math.pow(2, self.attempts)) * (0.75 + Math.random() / 2);
      window.setTimeout(function () { if (generation === self.generation) self.connect(); }, delay);
    });
  };

  Widget.prototype.api = function (path, body) {
    return window.fetch(new URL("api/" + path, BASE).href, {
      method: body === undefined ? "GET" : "POST",
      credentials: "same-origin",
      headers: body === undefined ? { "Accept": "application/json" } :
        { "Content-Type": "application/json", "Accept": "application/json", "Accept-Language": this.lang },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  };

  Widget.prototype.signIn = function () {
    var self = this;
    var user = this.userInput.value.trim();
    var password = this.passwordInput.value;
    if (!user || !password) { this.loginError.textContent = this.t("loginMissing"); return; }
    this.loginSubmit.disabled = true;
    this.loginError.textContent = "";
    this.loginSubmit.textContent = this.t("signingIn");
    this.api("login", { user: user, password: password }).then(function (response) {
      if (response.ok) return response.json();
      var key = response.status === 401 ? "loginFailed" : response.status === 429 ? "loginThrottled" :
        response.status === 400 ? "loginMissing" : "loginError";
      throw new Error(key);
    }).then(function (data) {
      self.passwordInput.value = "";
      self.user = data.user;
      if (data.language) self.setLanguage(data.language);
      self.showWho();
      self.showLogin(false);
      self.notice = self.t("signedInNotice", { name: self.user.name || self.user.id });
      self.connect();
    }).catch(function (error) {
      self.loginError.textContent = self.t(TEXT.en[error.message] ? error.message : "loginError");
      self.passwordInput.focus();
    }).finally(function () {
      self.loginSubmit.disabled = false;
      self.loginSubmit.textContent = self.t("signIn");
    });
  };

  Widget.prototype.signOut = function () {
    var self = this;
    this.api("logout", {}).then(function (response) {
      if (!response.ok) throw new Error("logout");
      self.user = null;
      self.pending = [];
      self.showWho();
      self.log.textContent = "";
      self.notice = self.t("signedOutNotice");
      self.connect();
      self.input.focus();
    }).catch(function () {
      self.addNotice(self.t("error.internal"), "error");
    });
  };

  Widget.prototype.start = function (open) {
    var self = this;
    if (open && this.launcher) this.toggle(true);
    this.api("session").then(function (response) {
      return response.ok ? response.json() : { user: null, language: null };
    }).catch(function () {
      return { user: null, language: null };
    }).then(function (data) {
      self.user = data.user || null;
      if (data.language) self.setLanguage(data.language);
      self.showWho();
      if (!self.user && !recall("guest") && !data.language) self.showLogin(true, true);
      if (open && !self.launcher) self.focusFirst();
      self.connect();
      // A link from a mail ("?ask=status of RQ-2026-000123") puts its question in the box, unsent.
      var ask = new URLSearchParams(window.location.search).get("ask");
      if (ask && !self.input.value) { self.input.value = ask.slice(0, 200); self.grow(); }
    });
  };

  function boot() {
    var targetId = script.getAttribute("data-target");
    var host = targetId ? document.getElementById(targetId) : null;
    var floating = !host;
    if (!host) {
      host = document.createElement("div");
      host.className = "supportbot-webchat";
      document.body.appendChild(host);
    }
    var widget = new Widget(host, { floating: floating, lang: script.getAttribute("data-lang") });
    var open = script.getAttribute("data-open") === "true" || recall("open") === true;
    widget.start(open);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
