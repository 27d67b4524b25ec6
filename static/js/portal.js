/* Enhancements only: every journey works without this file. */
(function () {
  "use strict";

  // Quick exit: leave without a Back-button trail, and on Shift pressed three times.
  var exitLink = document.querySelector("[data-quick-exit]");
  function leave() {
    if (!exitLink) return;
    document.body.hidden = true;
    window.location.replace(exitLink.href);
  }
  if (exitLink) {
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var shiftPresses = 0;
    var shiftTimer = null;
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { shiftPresses = 0; return; }
      shiftPresses += 1;
      clearTimeout(shiftTimer);
      shiftTimer = setTimeout(function () { shiftPresses = 0; }, 1000);
      if (shiftPresses >= 3) leave();
    });
  }

  // One submission per form: a double tap must not send twice.
  // Printable records: a Print button is only useful where script can open the dialog.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("form[data-prevent-double-submit]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting === "true") { event.preventDefault(); return; }
      form.dataset.submitting = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // Move focus to the error summary so screen readers hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Warn before the idle sign-out, and let the person stay signed in.
  var body = document.body;
  var idleMinutes = parseInt(body.getAttribute("data-idle-minutes") || "", 10);
  var dialog = document.getElementById("idle-warning");
  if (idleMinutes > 2 && dialog && typeof dialog.showModal === "function") {
    var csrf = document.querySelector("meta[name=csrf-token]");
    var warnTimer, expireTimer;
    var schedule = function () {
      clearTimeout(warnTimer);
      clearTimeout(expireTimer);
      warnTimer = setTimeout(function () {
        dialog.showModal();
        dialog.querySelector("[data-stay-signed-in]").focus();
      }, (idleMinutes - 2) * 60 * 1000);
      expireTimer = setTimeout(function () {
        window.location.assign(body.getAttribute("data-expired-url"));
      }, idleMinutes * 60 * 1000);
    };
    dialog.querySelector("[data-stay-signed-in]").addEventListener("click", function () {
      fetch(body.getAttribute("data-keep-alive-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.content : "" }
      }).then(function (response) {
        if (response.status === 204) { dialog.close(); schedule(); }
        else { window.location.assign(body.getAttribute("data-expired-url")); }
      });
    });
    schedule();
  }

  // "Read it to me": the browser's own speech, in the page's language, only where a
  // voice for that language exists (the button stays hidden otherwise).
  var readButtons = document.querySelectorAll("[data-read-aloud-button]");
  if (readButtons.length && "speechSynthesis" in window && window.SpeechSynthesisUtterance) {
    var lang = (document.documentElement.getAttribute("lang") || "en").toLowerCase();
    var hasVoice = function () {
      return window.speechSynthesis.getVoices().some(function (voice) {
        var tag = (voice.lang || "").toLowerCase().replace("_", "-");
        return tag === lang || tag.split("-")[0] === lang.split("-")[0];
      });
    };
    var offer = function () {
      if (!hasVoice()) return;
      readButtons.forEach(function (button) {
        if (!button.hidden) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          var synth = window.speechSynthesis;
          if (synth.speaking) { synth.cancel(); return; }
          var target = document.getElementById(button.getAttribute("aria-controls"));
          if (!target) return;
          var text = target.innerText;
          var utterance = new window.SpeechSynthesisUtterance(text);
          utterance.lang = target.closest("[lang]") ? target.closest("[lang]").getAttribute("lang") : lang;
          synth.speak(utterance);
        });
      });
    };
    offer();
    if (typeof window.speechSynthesis.addEventListener === "function") {
      window.speechSynthesis.addEventListener("voiceschanged", offer);
    }
  }

  // The plain-language assistant, as staff type: the same checks the preview shows.
  var writing = document.querySelector("[data-writing-assistant]");
  if (writing) {
    var box = writing.querySelector("textarea");
    var panel = document.getElementById(writing.getAttribute("data-assistant-target"));
    var token = document.querySelector("meta[name=csrf-token]");
    var pending = null;
    if (box && panel) {
      box.addEventListener("input", function () {
        clearTimeout(pending);
        pending = setTimeout(function () {
          var data = new FormData();
          data.append("text", box.value);
          fetch(writing.getAttribute("data-writing-assistant"), {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-CSRFToken": token ? token.content : "" },
            body: data
          }).then(function (response) {
            return response.ok ? response.json() : null;
          }).then(function (found) {
            if (found && typeof found.html === "string") {
              // Our own server's template, rendered and escaped there.
              var parsed = new DOMParser().parseFromString(found.html, "text/html");
              panel.replaceChildren.apply(panel, Array.prototype.slice.call(parsed.body.childNodes));
            }
          }).catch(function () { /* the preview still shows the same checks */ });
        }, 800);
      });
    }
  }
})();
