/* supportbot web chat widget.
 *
 * Embed with one tag:  <script src="https://your.site/webchat/widget.js" defer></script>
 * Options (data attributes on that tag):
 *   data-target="element-id"  render inside that element instead of a floating chat button
 *   data-lang="sv"            start in this language (default: the page's, then the browser's)
 *   data-open="true"          start with the chat open
 * The widget talks to the server it was loaded from (see docs/webchat-protocol.md).
 * Bot and user text is only ever set with textContent: never parsed as HTML.
 * Signed-in users can attach files (the paper clip, or drop them on the chat) and fill in forms
 * that replies carry (a support request, say) right in the conversation.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var BASE = new URL(".", script.src);
  var STORE_KEY = "supportbot-webchat";
  var MAX_FILE_BYTES = 10 * 1024 * 1024;  // the server's limit too (413 above it)
  var MAX_FILES = 5;                      // files one message may carry
  var RESEND_UNAVAILABLE_MS = 15000;      // a message our systems could not take is sent again after this
  var RADIO_CHOICES = 4;                  // up to this many choices show as radio buttons, more as a list
  var ZONE = (function () {               // the user's time zone: every time in the chat is shown in it
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  })();
  var EMAIL = /[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/g;

  var TEXT = {
    en: {
      launcher: "Chat with support",
      title: "Support assistant",
      close: "Close chat",
      guest: "Chatting as a guest",
      signedInAs: "Signed in as {name}",
      signIn: "Sign in",
      signOut: "Sign out",
      signOutEverywhere: "Sign out everywhere",
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
      loginUnconfirmed: "Please confirm your e-mail address first: open the link in the mail we sent you " +
        "when you registered.",
      loginError: "Signing in didn't work just now. Please try again in a moment.",
      signedInNotice: "You're signed in as {name}.",
      signedOutNotice: "You're signed out. A new conversation starts here.",
      newHere: "New here?",
      createAccount: "Create an account",
      registerTitle: "Create an account",
      registerIntro: "Your user ID is your e-mail address. We'll mail you a link to confirm it; then you " +
        "can sign in, and your company's administrator gives you access to orders, invoices and the other tools.",
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
      forgotPassword: "Forgot your password?",
      forgotTitle: "Forgot your password?",
      forgotIntro: "Enter the e-mail address of your account, and we'll send you a link for choosing a new password.",
      forgotSubmit: "Send the link",
      forgotSending: "Sending…",
      forgotMissing: "Please enter a valid e-mail address.",
      forgotThrottled: "Too many password resets from here. Please wait a few minutes and try again.",
      forgotError: "That didn't work just now. Please try again in a moment.",
      sessionEndedNotice: "You've been signed out (from another window, or because your password was changed). " +
        "Please sign in again.",
      conversation: "Conversation",
      inputLabel: "Your message",
      placeholder: "Type your question…",
      send: "Send",
      you: "You:",
      bot: "Assistant:",
      agent: "{name} (support):",
      agentTyping: "{name} is typing…",
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
      "error.internal": "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person.",
      "error.files_missing": "Sorry, I no longer have the file you attached: uploads are kept for an hour, for the " +
        "person who sent them. Please attach it again.",
      "warning.files_missing": "Sorry, some of the files you attached could no longer be found (uploads are kept " +
        "for an hour), so I've gone on without them. Please attach them again if you still need them.",
      attach: "Attach files",
      attachments: "Files to send",
      sentFiles: "Files sent",
      removeFile: "Remove {name}",
      uploading: "Uploading…",
      waitUpload: "Sending as soon as the files are uploaded…",
      dropHere: "Drop files here to send them",
      fileTooLarge: "{name} is too large: files can be at most 10 MB.",
      fileEmpty: "{name} is empty, so I left it out.",
      tooManyFiles: "You can send at most 5 files at a time.",
      uploadFailed: "{name} couldn't be uploaded. Please try again.",
      uploadSignIn: "Please sign in to send files.",
      yourDetails: "Your details",
      requiredHint: "Fields marked * are required.",
      choose: "Choose…"
    },
    sv: {
      launcher: "Chatta med supporten",
      title: "Supportassistent",
      close: "Stäng chatten",
      guest: "Du chattar som gäst",
      signedInAs: "Inloggad som {name}",
      signIn: "Logga in",
      signOut: "Logga ut",
      signOutEverywhere: "Logga ut överallt",
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
      loginUnconfirmed: "Bekräfta din e-postadress först: öppna länken i mejlet vi skickade när du " +
        "registrerade dig.",
      loginError: "Inloggningen fungerade inte just nu. Försök igen om en stund.",
      signedInNotice: "Du är inloggad som {name}.",
      signedOutNotice: "Du är utloggad. Här börjar en ny konversation.",
      newHere: "Ny här?",
      createAccount: "Skapa ett konto",
      registerTitle: "Skapa ett konto",
      registerIntro: "Ditt användar-id är din e-postadress. Vi mejlar en länk för att bekräfta den; sedan kan " +
        "du logga in, och ert företags administratör ger dig behörighet till ordrar, fakturor och de andra verktygen.",
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
      forgotPassword: "Glömt lösenordet?",
      forgotTitle: "Glömt lösenordet?",
      forgotIntro: "Ange e-postadressen till ditt konto, så skickar vi en länk där du väljer ett nytt lösenord.",
      forgotSubmit: "Skicka länken",
      forgotSending: "Skickar…",
      forgotMissing: "Ange en giltig e-postadress.",
      forgotThrottled: "För många lösenordsbyten härifrån. Vänta några minuter och försök igen.",
      forgotError: "Det fungerade inte just nu. Försök igen om en stund.",
      sessionEndedNotice: "Du har loggats ut (från ett annat fönster, eller för att ditt lösenord har ändrats). " +
        "Logga in igen.",
      conversation: "Konversation",
      inputLabel: "Ditt meddelande",
      placeholder: "Skriv din fråga…",
      send: "Skicka",
      you: "Du:",
      bot: "Assistenten:",
      agent: "{name} (supporten):",
      agentTyping: "{name} skriver…",
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
      "error.internal": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
      "error.files_missing": "Förlåt, jag har inte längre filen du bifogade: uppladdningar sparas i en timme, för den " +
        "som skickade dem. Bifoga den gärna igen.",
      "warning.files_missing": "Förlåt, några av filerna du bifogade fanns inte längre kvar (uppladdningar sparas i " +
        "en timme), så jag har fortsatt utan dem. Bifoga dem gärna igen om du fortfarande behöver dem.",
      attach: "Bifoga filer",
      attachments: "Filer att skicka",
      sentFiles: "Skickade filer",
      removeFile: "Ta bort {name}",
      uploading: "Laddar upp…",
      waitUpload: "Skickas så snart filerna är uppladdade…",
      dropHere: "Släpp filerna här för att skicka dem",
      fileTooLarge: "{name} är för stor: filer får vara högst 10 MB.",
      fileEmpty: "{name} är tom, så jag tog inte med den.",
      tooManyFiles: "Du kan skicka högst 5 filer åt gången.",
      uploadFailed: "{name} kunde inte laddas upp. Försök igen.",
      uploadSignIn: "Logga in för att skicka filer.",
      yourDetails: "Dina uppgifter",
      requiredHint: "Fält markerade med * är obligatoriska.",
      choose: "Välj…"
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

  // Text with e-mail addresses as mailto: links (the support address, say); the rest stays text.
  function withMail(node, text) {
    String(text || "").split(/\r\n|\r|\n/).forEach(function (line, index) {
      if (index > 0) node.appendChild(document.createElement("br"));
      var last = 0;
      line.replace(EMAIL, function (address, offset) {
        var bare = address.replace(/\.+$/, "");
        if (offset > last) node.appendChild(document.createTextNode(line.slice(last, offset)));
        node.appendChild(el("a", { href: "mailto:" + bare, className: "sbw-mail", text: bare }));
        last = offset + bare.length;
        return address;
      });
      if (last < line.length) node.appendChild(document.createTextNode(line.slice(last)));
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

  var SVG = "http://www.w3.org/2000/svg";

  function paperClip() {
    var svg = document.createElementNS(SVG, "svg");
    [["viewBox", "0 0 24 24"], ["width", "20"], ["height", "20"], ["aria-hidden", "true"], ["focusable", "false"]]
      .forEach(function (pair) { svg.setAttribute(pair[0], pair[1]); });
    var path = document.createElementNS(SVG, "path");
    [["d", "M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"],
      ["fill", "none"], ["stroke", "currentColor"], ["stroke-width", "2"], ["stroke-linecap", "round"],
      ["stroke-linejoin", "round"]].forEach(function (pair) { path.setAttribute(pair[0], pair[1]); });
    svg.appendChild(path);
    return svg;
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
    this.attachments = [];      // files chosen for the next message: {name, size, id, node}
    this.forms = 0;             // numbers the forms shown, for their element ids
    this.formDefs = {};         // the latest form shown of each id: its labels show a sent form
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
    if (this.typingAgent) this.typingText.textContent = this.t("agentTyping", { name: this.typingAgent });
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
    this.signOutButton.addEventListener("click", function () { self.signOut("logout"); });
    this.signOutEverywhereButton = this.label(
      el("button", { type: "button", className: "sbw-header-button" }), "text", "signOutEverywhere");
    this.signOutEverywhereButton.hidden = true;
    this.signOutEverywhereButton.addEventListener("click", function () { self.signOut("logout-everywhere"); });
    header.appendChild(this.signInButton);
    header.appendChild(this.signOutButton);
    header.appendChild(this.signOutEverywhereButton);
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
    var forgot = this.label(el("button", { type: "button", className: "sbw-link" }), "text", "forgotPassword");
    forgot.addEventListener("click", function () { self.showForgot(true); });
    this.login.appendChild(el("p", { className: "sbw-login-forgot" }, [forgot]));
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
    this.forgot = null;         // the "Forgot your password?" form, built when first asked for

    // the conversation
    this.chat = el("div", { className: "sbw-chat" });
    this.status = el("p", { className: "sbw-status", role: "status" });
    this.chat.appendChild(this.status);
    this.log = el("ol", { className: "sbw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      tabindex: "0" });
    this.label(this.log, "aria-label", "conversation");
    this.chat.appendChild(this.log);
    if (window.ResizeObserver) {  // a phone turned, a window resized, the panel opened: tables fit again
      new window.ResizeObserver(function () { self.fitTables(); }).observe(this.log);
    }
    this.typing = el("p", { className: "sbw-typing", role: "status" });
    this.typing.appendChild(el("span", { className: "sbw-dots", "aria-hidden": "true" },
      [el("span"), el("span"), el("span")]));
    this.typingText = this.label(el("span", { className: "sbw-typing-text" }), "text", "typing");
    this.typing.appendChild(this.typingText);
    this.typing.hidden = true;
    this.chat.appendChild(this.typing);

    this.attachList = el("ul", { className: "sbw-attachments" });
    this.label(this.attachList, "aria-label", "attachments");
    this.attachList.hidden = true;
    this.chat.appendChild(this.attachList);

    this.compose = el("form", { className: "sbw-compose" });
    this.fileInput = el("input", { type: "file", multiple: true, className: "sbw-sr", tabindex: "-1",
      "aria-hidden": "true" });
    this.fileInput.addEventListener("change", function () {
      self.addFiles(self.fileInput.files);
      self.fileInput.value = "";
    });
    this.compose.appendChild(this.fileInput);
    this.attachButton = el("button", { type: "button", className: "sbw-attach" });
    this.label(this.attachButton, "aria-label", "attach");
    this.label(this.attachButton, "title", "attach");
    this.attachButton.appendChild(paperClip());
    this.attachButton.addEventListener("click", function () { self.fileInput.click(); });
    this.attachButton.hidden = true;
    this.compose.appendChild(this.attachButton);
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
    this.dropHint = this.label(el("p", { className: "sbw-drop-hint", "aria-hidden": "true" }), "text", "dropHere");
    this.chat.appendChild(this.dropHint);
    this.dropZone();
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

  // "Forgot your password?": the address only. The answer is the same whether or not it has an account.
  Widget.prototype.buildForgot = function () {
    var self = this;
    var form = el("form", { className: "sbw-forgot", "aria-labelledby": "sbw-forgot-title", novalidate: true });
    form.hidden = true;
    form.appendChild(this.label(el("h3", { id: "sbw-forgot-title" }), "text", "forgotTitle"));
    form.appendChild(this.label(el("p", { className: "sbw-login-intro" }), "text", "forgotIntro"));
    form.appendChild(this.label(el("label", { for: "sbw-forgot-email" }), "text", "emailLabel"));
    this.forgotEmail = el("input", { id: "sbw-forgot-email", name: "email", type: "email", autocomplete: "username",
      autocapitalize: "off", spellcheck: "false", required: true });
    form.appendChild(this.forgotEmail);
    this.forgotError = el("p", { className: "sbw-login-error", role: "alert" });
    form.appendChild(this.forgotError);
    this.forgotDone = el("p", { className: "sbw-forgot-done", role: "status" });
    form.appendChild(this.forgotDone);
    var actions = el("div", { className: "sbw-login-actions" });
    this.forgotSubmit = this.label(el("button", { type: "submit", className: "sbw-primary" }), "text", "forgotSubmit");
    actions.appendChild(this.forgotSubmit);
    var back = this.label(el("button", { type: "button", className: "sbw-secondary" }), "text", "backToSignIn");
    back.addEventListener("click", function () { self.showLogin(true); });
    actions.appendChild(back);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) { event.preventDefault(); self.askForReset(); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); self.showLogin(true); }
    });
    this.forgot = form;
    this.panel.insertBefore(form, this.chat);
  };

  Widget.prototype.showForgot = function (show) {
    if (!this.forgot) this.buildForgot();
    this.forgot.hidden = !show;
    this.login.hidden = true;
    if (this.register) this.register.hidden = true;
    this.chat.hidden = show;
    this.signInButton.hidden = show || !!this.user;
    this.forgotError.textContent = "";
    this.forgotDone.textContent = "";
    if (show && !this.forgotEmail.value) this.forgotEmail.value = this.userInput.value.trim();
    if (show) this.forgotEmail.focus();
    else this.input.focus();
  };

  Widget.prototype.askForReset = function () {
    var self = this;
    var email = this.forgotEmail.value.trim();
    this.forgotError.textContent = "";
    this.forgotDone.textContent = "";
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      this.forgotError.textContent = this.t("forgotMissing");
      this.forgotEmail.focus();
      return;
    }
    this.forgotSubmit.disabled = true;
    this.forgotSubmit.textContent = this.t("forgotSending");
    this.api("password-reset", { email: email }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    }).then(function (result) {
      if (result.status === 200) {
        self.forgotDone.textContent = String(result.data.message || "");
        return;
      }
      self.forgotError.textContent = self.t(result.status === 429 ? "forgotThrottled" :
        result.status === 400 ? "forgotMissing" : "forgotError");
      self.forgotEmail.focus();
    }).catch(function () {
      self.forgotError.textContent = self.t("forgotError");
    }).finally(function () {
      self.forgotSubmit.disabled = false;
      self.forgotSubmit.textContent = self.t("forgotSubmit");
    });
  };

  Widget.prototype.showRegister = function (show) {
    if (!this.register) this.buildRegister();
    this.register.hidden = !show;
    this.login.hidden = true;
    if (this.forgot) this.forgot.hidden = true;
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
    else if (this.forgot && !this.forgot.hidden) this.forgotEmail.focus();
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
    this.signOutEverywhereButton.hidden = !this.user;
    this.attachButton.hidden = !this.user;
  };

  Widget.prototype.showLogin = function (show, quiet) {
    this.login.hidden = !show;
    if (this.register) this.register.hidden = true;
    if (this.forgot) this.forgot.hidden = true;
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
    return el("time", { className: "sbw-time", datetime: when.toISOString(), text: this.clock(when) });
  };

  // "14:05 CET": the time in the user's zone, labelled with it (replies label theirs the same way).
  Widget.prototype.clock = function (when) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" };
    if (ZONE) options.timeZone = ZONE;
    try {
      var parts = new Intl.DateTimeFormat(this.lang === "sv" ? "sv-SE" : "en-GB", options).formatToParts(when);
      var pick = function (type) {
        var part = parts.filter(function (p) { return p.type === type; })[0];
        return part ? part.value : "";
      };
      return pick("hour") + ":" + pick("minute") + (pick("timeZoneName") ? " " + pick("timeZoneName") : "");
    } catch (e) {
      return when.toLocaleTimeString();
    }
  };

  Widget.prototype.addUser = function (text, at, files) {
    var item = el("li", { className: "sbw-msg sbw-from-user" });
    item.appendChild(el("span", { className: "sbw-sr", text: this.t("you") + " " }));
    var bubble = el("div", { className: "sbw-bubble" });
    if (text || !files || !files.length) multiline(bubble, text);
    if (files && files.length) {
      bubble.appendChild(el("ul", { className: "sbw-sent-files", "aria-label": this.t("sentFiles") },
        files.map(function (file) { return el("li", { className: "sbw-sent-file", text: file.name }); })));
    }
    item.appendChild(bubble);
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

  // A table; one that does not fit the chat's width becomes a stack of small cards (each row a card,
  // each value under its column's name: see widget.css and fitTables), so nothing is cut off or
  // squeezed. The roles keep it a table for screen readers however it is laid out.
  Widget.prototype.table = function (table) {
    var columns = Array.isArray(table.columns) ? table.columns : [];
    var wrap = el("div", { className: "sbw-table-wrap", role: "region", tabindex: "0", "aria-label": this.t("table") });
    var head = el("tr", { role: "row" }, columns.map(function (column) {
      return el("th", { scope: "col", role: "columnheader", text: column });
    }));
    var body = el("tbody", { role: "rowgroup" }, (table.rows || []).map(function (row) {
      return el("tr", { role: "row" }, row.map(function (cell, index) {
        var label = columns[index] || "";
        var td = el("td", { role: "cell", "data-label": label || null, className: label ? null : "sbw-unlabelled" });
        td.appendChild(el("span", { className: "sbw-cell-label", "aria-hidden": "true", text: label }));
        // A number, a date or an amount keeps to one line ("INV-2031", never "INV-" over "2031").
        var short = String(cell).length <= 24;
        td.appendChild(el("span", { className: "sbw-cell-value" + (short ? " sbw-nowrap" : ""), text: cell }));
        return td;
      }));
    }));
    wrap.appendChild(el("table", { className: "sbw-table", role: "table" },
      [el("thead", { role: "rowgroup" }, [head]), body]));
    return wrap;
  };

  // Each table as a table where its columns fit side by side, else as stacked cards.
  function fitTable(wrap) {
    wrap.classList.remove("sbw-stacked");
    if (wrap.clientWidth && wrap.scrollWidth > wrap.clientWidth + 1) wrap.classList.add("sbw-stacked");
  }

  Widget.prototype.fitTables = function () {
    var width = this.log.clientWidth;
    if (!width || width === this.fittedWidth) return;
    this.fittedWidth = width;
    Array.prototype.forEach.call(this.log.querySelectorAll(".sbw-table-wrap"), fitTable);
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

  // --- forms in replies ----------------------------------------------------------------------------

  // A reply's form as an HTML form in the chat: the profile as a read-only summary, then the inputs,
  // each with its label and an error line that is read out with it. ``active`` false shows it disabled.
  Widget.prototype.form = function (form, active) {
    var self = this;
    var prefix = "sbw-form-" + (++this.forms);
    this.formDefs[form.id] = form;
    var node = el("form", { className: "sbw-form", "aria-labelledby": prefix + "-title", novalidate: true });
    node.appendChild(el("h3", { id: prefix + "-title", className: "sbw-form-title", text: form.title }));
    var fields = Array.isArray(form.fields) ? form.fields : [];
    var info = fields.filter(function (field) { return field.kind === "info"; });
    if (info.length) {
      node.appendChild(el("dl", { className: "sbw-fields sbw-form-info", "aria-label": this.t("yourDetails") },
        info.map(function (field) {
          return el("div", { className: "sbw-field" }, [el("dt", { text: field.label }), multiline(el("dd"), field.value)]);
        })));
    }
    var inputs = fields.filter(function (field) { return field.kind !== "info"; });
    if (inputs.some(function (field) { return field.required; })) {
      node.appendChild(el("p", { className: "sbw-hint", text: this.t("requiredHint") }));
    }
    var controls = [];
    var entries = inputs.map(function (field, index) {
      var entry = self.formField(node, field, prefix + "-" + index);
      controls = controls.concat(entry.controls);
      return entry;
    });
    var actions = el("div", { className: "sbw-form-actions" });
    var submit = el("button", { type: "submit", className: "sbw-primary", text: form.submit_label });
    actions.appendChild(submit);
    controls.push(submit);
    if (form.cancel_label && form.cancel_value) {
      var cancel = el("button", { type: "button", className: "sbw-secondary", text: form.cancel_label });
      cancel.addEventListener("click", function () {
        if (node.sbwDisabled) return;
        self.setFormEnabled(node, false);
        self.send(String(form.cancel_value), true);
      });
      actions.appendChild(cancel);
      controls.push(cancel);
    }
    node.appendChild(actions);
    node.sbwControls = controls;
    node.sbwFirstInvalid = null;
    entries.forEach(function (entry) {
      if (entry.field.error && !node.sbwFirstInvalid) node.sbwFirstInvalid = entry.controls[0];
    });
    node.addEventListener("submit", function (event) {
      event.preventDefault();
      if (node.sbwDisabled) return;
      var values = {};
      entries.forEach(function (entry) { values[entry.field.name] = entry.value(); });
      entries.forEach(function (entry) {
        if (entry.field.kind === "password") entry.controls[0].value = "";  // not left in the page
      });
      self.sendForm(form, values, node);
    });
    this.setFormEnabled(node, active);
    return node;
  };

  // One input of a form: text, textarea, or a choice (radio buttons for a few, a list for more).
  Widget.prototype.formField = function (node, field, id) {
    var errorId = id + "-error";
    var error = el("p", { id: errorId, className: "sbw-field-error", text: field.error || "" });
    var invalid = field.error ? "true" : null;
    var describedBy = field.error ? errorId : null;
    var star = field.required ? el("span", { className: "sbw-required", "aria-hidden": "true", text: " *" }) : null;
    var choices = Array.isArray(field.choices) ? field.choices : [];
    var wrap = el("div", { className: "sbw-form-field" });
    var controls = [];
    var value;
    if (field.kind === "choice" && choices.length && choices.length <= RADIO_CHOICES) {
      var group = el("fieldset", { className: "sbw-choices", "aria-describedby": describedBy });
      group.appendChild(el("legend", null, [document.createTextNode(field.label), star]));
      choices.forEach(function (choice, index) {
        var radio = el("input", { type: "radio", id: id + "-" + index, name: id, value: choice.value,
          required: !!field.required, "aria-invalid": invalid });
        radio.checked = choice.value === field.value;
        controls.push(radio);
        group.appendChild(el("div", { className: "sbw-choice" },
          [radio, el("label", { for: id + "-" + index, text: choice.label })]));
      });
      wrap.appendChild(group);
      value = function () {
        var checked = controls.filter(function (radio) { return radio.checked; })[0];
        return checked ? checked.value : "";
      };
    } else {
      wrap.appendChild(el("label", { for: id, className: "sbw-form-label" }, [document.createTextNode(field.label), star]));
      var control;
      var attrs = { id: id, name: field.name, required: !!field.required, "aria-invalid": invalid,
        "aria-describedby": describedBy };
      if (field.kind === "choice") {
        control = el("select", attrs);
        control.appendChild(el("option", { value: "", text: this.t("choose") }));
        choices.forEach(function (choice) {
          control.appendChild(el("option", { value: choice.value, text: choice.label }));
        });
      } else {
        if (typeof field.max_length === "number") attrs.maxlength = String(field.max_length);
        if (field.kind === "textarea") {
          attrs.rows = "4";
          control = el("textarea", attrs);
        } else if (field.kind === "password") {
          // Typed hidden; sent once with the form and never shown, kept or filled in again.
          attrs.type = "password";
          attrs.autocomplete = "current-password";
          control = el("input", attrs);
        } else {
          attrs.type = "text";
          control = el("input", attrs);
        }
      }
      control.value = field.kind === "password" ? "" : (field.value || "");
      controls.push(control);
      wrap.appendChild(control);
      value = function () { return control.value; };
    }
    wrap.appendChild(error);
    node.appendChild(wrap);
    // A field marked "Please fill this in." loses the mark once it is filled in (the server checks again).
    if (field.error) {
      var clear = function () {
        if (!String(value()).trim()) return;
        error.textContent = "";
        controls.forEach(function (control) { control.removeAttribute("aria-invalid"); });
      };
      controls.forEach(function (control) {
        control.addEventListener("input", clear);
        control.addEventListener("change", clear);
      });
    }
    return { field: field, controls: controls, value: value };
  };

  Widget.prototype.setFormEnabled = function (node, enabled) {
    node.sbwDisabled = !enabled;
    node.classList.toggle("sbw-form-done", !enabled);
    (node.sbwControls || []).forEach(function (control) { control.disabled = !enabled; });
  };

  // What a sent form shows in the user's bubble: its title, then each input's label and value.
  Widget.prototype.formSummary = function (formId, values) {
    var form = this.formDefs[formId];
    var lines = [];
    if (!form) {
      Object.keys(values).forEach(function (name) { lines.push(name + ": " + values[name]); });
      return lines.join("\n");
    }
    lines.push(form.title);
    (form.fields || []).forEach(function (field) {
      if (field.kind === "info" || !(field.name in values)) return;
      if (field.kind === "password") {
        lines.push(field.label + ": \u2022\u2022\u2022\u2022\u2022\u2022");
        return;
      }
      var shown = String(values[field.name]);
      (field.choices || []).forEach(function (choice) { if (choice.value === shown) shown = choice.label; });
      lines.push(field.label + ": " + shown);
    });
    return lines.join("\n");
  };

  Widget.prototype.sendForm = function (form, values, node) {
    if (node) this.setFormEnabled(node, false);
    var entry = { id: newId(), kind: "form", form: form.id, values: values, formDef: form, formNode: node,
      text: this.formSummary(form.id, values), files: [], button: false, resent: false, node: null };
    entry.node = this.addUser(entry.text, null, null);
    this.markPending(entry);
    this.pending.push(entry);
    this.transmit(entry);
  };

  Widget.prototype.linked = function (node, text) { return withMail(node, text); };

  Widget.prototype.addBot = function (text, reply, at, active, event) {
    var self = this;
    var isEvent = event === "agent_joined" || event === "agent_left";
    var item = el("li", { className: "sbw-msg sbw-from-bot" + (isEvent ? " sbw-event sbw-" + event.replace("_", "-") : "") });
    item.appendChild(el("span", { className: "sbw-sr", text: this.t("bot") + " " }));
    item.appendChild(this.linked(el("div", { className: "sbw-bubble" }), reply ? reply.text : text));
    if (reply) {
      (reply.cards || []).forEach(function (card) { item.appendChild(self.card(card)); });
      if (reply.table) item.appendChild(this.table(reply.table));
      if (reply.attachments && reply.attachments.length) item.appendChild(this.files(reply.attachments));
      if (reply.form && typeof reply.form === "object") {
        item.sbwForm = this.form(reply.form, active !== false);
        item.appendChild(item.sbwForm);
      }
      var group = this.buttons(reply.buttons);
      if (group) item.appendChild(group);
    }
    item.appendChild(el("div", { className: "sbw-meta" }, [this.time(at)]));
    this.log.appendChild(item);
    Array.prototype.forEach.call(item.querySelectorAll(".sbw-table-wrap"), fitTable);
    this.reveal(item);
    return item;
  };

  // A support agent's line during a handoff: plain text, with who wrote it.
  Widget.prototype.addAgent = function (text, agent, at) {
    var item = el("li", { className: "sbw-msg sbw-from-bot sbw-from-agent" });
    item.appendChild(el("span", { className: "sbw-agent-name", text: this.t("agent", { name: agent || "" }) + " " }));
    item.appendChild(withMail(el("div", { className: "sbw-bubble" }), text));
    item.appendChild(el("div", { className: "sbw-meta" }, [this.time(at)]));
    this.log.appendChild(item);
    this.reveal(item);
    return item;
  };

  function isEmptyReply(reply) {
    return !reply || (!reply.text && !(reply.cards || []).length && !reply.table &&
      !(reply.buttons || []).length && !(reply.attachments || []).length && !reply.form);
  }

  // The first bubble: the assistant's greeting, shaped like its other lines.
  Widget.prototype.welcome = function () {
    var item = el("li", { className: "sbw-msg sbw-welcome" });
    item.appendChild(el("span", { className: "sbw-sr", text: this.t("bot") + " " }));
    item.appendChild(withMail(el("div", { className: "sbw-bubble" }), this.t(this.user ? "welcome" : "welcomeGuest")));
    this.log.appendChild(item);
    this.scrollDown();
  };

  Widget.prototype.renderHistory = function (items) {
    var self = this;
    this.log.textContent = "";
    // Only a form in the very last line can still be sent; one waiting to be resent is not sent twice.
    var sending = this.pending.some(function (entry) { return entry.kind === "form"; });
    items.forEach(function (item, index) {
      if (item.role === "user") {
        var text = item.text;
        if (item.form && item.form.values && typeof item.form.values === "object") {
          text = [text, self.formSummary(String(item.form.id || ""), item.form.values)].filter(Boolean).join("\n");
        }
        self.addUser(text, item.at, Array.isArray(item.files) ? item.files : null);
      } else if (typeof item.agent === "string" && !item.event) self.addAgent(item.text, item.agent, item.at);
      else self.addBot(item.text, item.reply, item.at, index === items.length - 1 && !sending, item.event);
    });
    if (!items.length) this.welcome();
    if (this.notice) { this.addNotice(this.notice, "info"); this.notice = null; }
    this.historyShown = true;
  };

  // --- sending and receiving ---------------------------------------------------------------------

  Widget.prototype.submit = function () {
    var text = this.input.value;
    if (!text.trim() && !this.attachments.length) { this.input.focus(); return; }
    if (this.attachments.some(function (file) { return !file.id; })) {
      // Sent once the last upload is done (see upload); the chips say they are still uploading.
      this.sendWhenUploaded = true;
      this.status.textContent = this.t("waitUpload");
      return;
    }
    var files = this.attachments.map(function (file) { return { id: file.id, name: file.name }; });
    this.clearAttachments();
    this.input.value = "";
    this.grow();
    this.send(text, false, files);
    this.stopTyping();
  };

  // --- files ---------------------------------------------------------------------------------------

  // Files dropped anywhere on the conversation are attached like chosen ones.
  Widget.prototype.dropZone = function () {
    var self = this;
    var depth = 0;
    function carriesFiles(event) {
      var types = event.dataTransfer && event.dataTransfer.types;
      return !!types && Array.prototype.indexOf.call(types, "Files") !== -1;
    }
    this.chat.addEventListener("dragenter", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      self.chat.classList.add("sbw-dragging");
    });
    this.chat.addEventListener("dragover", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";  // a guest's drop is answered with "please sign in"
    });
    this.chat.addEventListener("dragleave", function (event) {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) self.chat.classList.remove("sbw-dragging");
    });
    this.chat.addEventListener("drop", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      self.chat.classList.remove("sbw-dragging");
      self.addFiles(event.dataTransfer.files);
      self.input.focus();
    });
  };

  // Chosen or dropped files: checked here first (count, size), then uploaded at once, shown as chips.
  Widget.prototype.addFiles = function (list) {
    var files = Array.prototype.slice.call(list || []);
    if (!files.length) return;
    if (!this.user) { this.addNotice(this.t("uploadSignIn"), "error"); return; }
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (this.attachments.length >= MAX_FILES) { this.addNotice(this.t("tooManyFiles"), "error"); break; }
      if (file.size > MAX_FILE_BYTES) { this.addNotice(this.t("fileTooLarge", { name: file.name }), "error"); continue; }
      if (!file.size) { this.addNotice(this.t("fileEmpty", { name: file.name }), "error"); continue; }
      var entry = { name: file.name, size: file.size, id: null, node: null, state: null };
      this.attachments.push(entry);
      this.showAttachment(entry);
      this.upload(entry, file);
    }
  };

  Widget.prototype.showAttachment = function (entry) {
    var self = this;
    var remove = el("button", { type: "button", className: "sbw-attachment-remove",
      "aria-label": this.t("removeFile", { name: entry.name }) }, [el("span", { "aria-hidden": "true", text: "×" })]);
    remove.addEventListener("click", function () {
      self.dropAttachment(entry);
      self.input.focus();
    });
    entry.state = el("span", { className: "sbw-attachment-state", text: this.t("uploading") });
    entry.node = el("li", { className: "sbw-attachment sbw-uploading" },
      [el("span", { className: "sbw-attachment-name", text: entry.name }), entry.state, remove]);
    this.attachList.appendChild(entry.node);
    this.attachList.hidden = false;
  };

  Widget.prototype.dropAttachment = function (entry) {
    var index = this.attachments.indexOf(entry);
    if (index !== -1) this.attachments.splice(index, 1);
    if (entry.node) entry.node.remove();
    entry.dropped = true;
    this.attachList.hidden = !this.attachments.length;
    this.uploaded();
  };

  Widget.prototype.clearAttachments = function () {
    this.attachments.forEach(function (entry) { entry.dropped = true; });
    this.attachments = [];
    this.attachList.textContent = "";
    this.attachList.hidden = true;
    this.sendWhenUploaded = false;
  };

  Widget.prototype.upload = function (entry, file) {
    var self = this;
    window.fetch(new URL("upload", BASE).href, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream", "X-Filename": encodeURIComponent(file.name),
        "Accept": "application/json", "Accept-Language": this.lang },
      body: file
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok || !data || typeof data.id !== "string") {
          throw new Error(data && typeof data.message === "string" ? data.message : "");
        }
        return data;
      });
    }).then(function (data) {
      if (entry.dropped) return;
      entry.id = data.id;
      entry.name = typeof data.name === "string" ? data.name : entry.name;
      entry.node.classList.remove("sbw-uploading");
      entry.state.textContent = "";
      self.uploaded();
    }).catch(function (error) {
      if (entry.dropped) return;
      self.dropAttachment(entry);
      self.addNotice((error && error.message) || self.t("uploadFailed", { name: entry.name }), "error");
    });
  };

  // Once nothing is uploading any more, a message that waited for it goes.
  Widget.prototype.uploaded = function () {
    if (!this.sendWhenUploaded || this.attachments.some(function (file) { return !file.id; })) return;
    this.sendWhenUploaded = false;
    this.status.textContent = "";
    this.submit();
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

  Widget.prototype.send = function (text, button, files) {
    var entry = { id: newId(), kind: "message", text: text, button: !!button, files: files || [], resent: false,
      node: null };
    entry.node = this.addUser(text, null, entry.files);
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
    var frame;
    if (entry.kind === "form") {
      frame = { type: "form", id: entry.id, form: entry.form, values: entry.values };
    } else {
      frame = { type: "message", id: entry.id, text: entry.text };
      if (entry.button) frame.button = true;
      if (entry.files.length) frame.files = entry.files.map(function (file) { return file.id; });
    }
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
    if (entry.kind === "form" && entry.formNode && entry.formNode.isConnected) {
      this.setFormEnabled(entry.formNode, true);  // not sent: the form can be sent again
    }
    if (code === "rate_limited" || code === "internal" || code === "unavailable") {
      var retry = el("button", { type: "button", className: "sbw-retry", text: this.t("retry") });
      retry.addEventListener("click", function () { self.resend(entry); });
      meta.appendChild(retry);
    }
    if (code === "unavailable" && entry.kind !== "form") {
      // Our systems were out of reach and nothing was kept: tried once more by itself after a while.
      entry.autoRetry = window.setTimeout(function () { self.resend(entry); }, RESEND_UNAVAILABLE_MS);
    }
  };

  // A message not sent goes again under its own id, so the server answers it once however often it
  // arrives; a form is sent again from its form.
  Widget.prototype.resend = function (entry) {
    window.clearTimeout(entry.autoRetry);
    if (!entry.node || !entry.node.classList.contains("sbw-failed")) return;  // already sent again
    if (entry.kind === "form") {
      entry.node.remove();
      this.sendForm(entry.formDef, entry.values, entry.formNode);
      return;
    }
    entry.node.classList.remove("sbw-failed");
    entry.node.querySelectorAll(".sbw-state, .sbw-retry").forEach(function (node) { node.remove(); });
    this.markPending(entry);
    this.pending.push(entry);
    this.transmit(entry);
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
        entry.node = self.addUser(entry.text, null, entry.files);
        self.markPending(entry);
        entry.resent = true;
        self.transmit(entry);
      });
    } else if (frame.type === "typing") {
      // A support agent who has the chat types under their own name; otherwise the assistant does.
      var typist = frame.on && typeof frame.agent === "string" && frame.agent ? frame.agent : "";
      this.typingText.textContent = typist ? this.t("agentTyping", { name: typist }) : this.t("typing");
      this.typingAgent = typist;
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
      if (frame.warning && typeof frame.warning.code === "string") {
        var warning = "warning." + frame.warning.code;
        this.addNotice(TEXT.en[warning] ? this.t(warning) : String(frame.warning.message || ""), "error");
      }
      if (isEmptyReply(frame.reply)) return;  // an agent has the conversation: the bot keeps quiet
      var shown = this.addBot(frame.reply ? frame.reply.text : "", frame.reply, null);
      // A sent form that came back marked: straight to its first marked field.
      if (entry && entry.kind === "form" && shown.sbwForm && shown.sbwForm.sbwFirstInvalid) {
        shown.sbwForm.sbwFirstInvalid.focus();
      }
    } else if (frame.type === "agent") {
      this.typing.hidden = true;
      if (typeof frame.text === "string") this.addAgent(frame.text, String(frame.agent || ""), frame.at || null);
    } else if (frame.type === "notice") {
      // Something the assistant tells this user on its own (an access request to decide, an outcome),
      // or a person joining or leaving the chat (an event line).
      if (frame.event === "agent_left") this.typing.hidden = true;
      if (frame.reply) this.addBot(frame.reply.text || "", frame.reply, frame.at || null, true, frame.event);
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
    if (ZONE) url.searchParams.set("tz", ZONE);  // the times in replies are shown in it, as the chat's own
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
    ws.addEventListener("close", function (event) {
      window.clearInterval(pinger);
      if (generation !== self.generation) return;
      if (event.code === 4001) {  // this session has ended (signed out elsewhere, a new password): go on as a guest
        self.user = null;
        self.pending = [];
        self.clearAttachments();
        self.showWho();
        self.log.textContent = "";
        self.notice = self.t("sessionEndedNotice");
        self.connect();
        return;
      }
      self.typing.hidden = true;
      self.status.textContent = self.t("reconnecting");
      // 1012: the server restarts or hands over to another worker; come back soon, not all at once.
      var restart = event.code === 1012 && self.attempts === 0;
      self.attempts += 1;
      var delay = restart ? 200 + Math.random() * 800 :
        Math.min(15000, 500 * Math.pow(2, self.attempts)) * (0.75 + Math.random() / 2);
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
        response.status === 403 ? "loginUnconfirmed" : response.status === 400 ? "loginMissing" : "loginError";
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

  // "logout" ends this browser's session; "logout-everywhere" every session of the user.
  Widget.prototype.signOut = function (path) {
    var self = this;
    this.api(path || "logout", {}).then(function (response) {
      if (!response.ok) throw new Error("logout");
      self.user = null;
      self.pending = [];
      self.clearAttachments();
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
