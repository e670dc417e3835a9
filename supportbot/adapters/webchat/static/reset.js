/* The page that sets a new password (GET /webchat/reset, from the mailed link).
 *
 * The link carries its token in the fragment (#token=...), which browsers never send to a server, so
 * it is in no request line and no access log. This script takes it from there, removes it from the
 * address bar and the history at once, asks the server whether it still works, and then either shows
 * the form with the token in it (posted in the form's body) or the page's polite failure.
 */
(function () {
  "use strict";

  var form = document.getElementById("reset-form");
  var shown = document.getElementById("reset-form-section");
  var failed = document.getElementById("reset-failed");
  if (!form || !shown || !failed) return;
  var token = form.elements.namedItem("token");
  if (!token || token.value) return;  // a form sent back with a reason already holds its token

  var match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
  if (window.location.hash) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  function fail() {
    shown.hidden = true;
    failed.hidden = false;
    failed.querySelector("h1").focus();
  }

  var value = "";
  try { value = match ? decodeURIComponent(match[1]) : ""; } catch (e) { value = ""; }
  if (!value) { fail(); return; }

  window.fetch("/webchat/api/password-reset/check", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json",
      "Accept-Language": document.documentElement.lang || "en" },
    body: JSON.stringify({ token: value })
  }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (data) {
    if (!data || data.valid !== true || typeof data.user !== "string") { fail(); return; }
    token.value = value;
    document.getElementById("reset-user").textContent = data.user;
    form.elements.namedItem("username").value = data.user;
    shown.hidden = false;
    form.elements.namedItem("password").focus();
  }).catch(fail);
})();
