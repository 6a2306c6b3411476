// Interview page: timers, keyboard submit, and a local copy of the draft so a lost
// connection or a closed tab never loses what was typed (the server autosaves too).
(function () {
  "use strict";

  function format(seconds) {
    const m = Math.floor(seconds / 60), s = seconds % 60;
    return (m ? m + "m " : "") + String(s).padStart(m ? 2 : 1, "0") + "s";
  }

  function startTimers(card) {
    if (!card || card.dataset.timersStarted) return;
    card.dataset.timersStarted = "1";
    const began = Date.now();
    const q0 = Number(card.dataset.questionSeconds || 0), i0 = Number(card.dataset.interviewSeconds || 0);
    const limit = Number(card.dataset.limitSeconds || 0);
    const tick = () => {
      if (!card.isConnected) return;
      const extra = Math.floor((Date.now() - began) / 1000);
      const q = card.querySelector('[data-timer="question"]'), i = card.querySelector('[data-timer="interview"]');
      if (q) q.textContent = format(q0 + extra);
      if (i) i.textContent = format(i0 + extra);
      const r = card.querySelector('[data-timer="remaining"]');
      const left = limit - i0 - extra;
      if (r && limit) r.textContent = format(Math.max(0, left));
      // An assessment's deadline is kept by the server; at zero, reload to show it closed
      // (the draft was autosaved as the candidate typed).
      if (card.dataset.deadline && limit && left <= 0) { setTimeout(() => location.reload(), 1500); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }

  function restoreDraft(form) {
    const key = form.dataset.draftKey, area = form.querySelector("textarea[name=text]");
    if (!key || !area || form.dataset.draftReady) return;
    form.dataset.draftReady = "1"; // init runs twice on a full page load (DOMContentLoaded, htmx:load on body)
    const saved = localStorage.getItem(key);
    if (saved && !area.value.trim()) {
      area.value = saved;
      area.dispatchEvent(new Event("backprop:restored")); // the code editor, if any, follows
      area.dispatchEvent(new Event("input", { bubbles: true })); // autosave the restored text
    }
    area.addEventListener("input", () => localStorage.setItem(key, area.value));
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[type=submit]"));
      }
    });
    form.addEventListener("htmx:afterRequest", (event) => {
      const answerPost = event.detail.requestConfig.verb === "post"
        && event.detail.pathInfo.requestPath.endsWith("/answer/");
      // A refused answer (empty, binary) is a 200 too: its text stays only in this copy.
      const refused = event.detail.xhr.getResponseHeader("X-Answer-Refused");
      if (answerPost && event.detail.successful && !refused) localStorage.removeItem(key);
      // A failed submit (a 500 while the database is failing over, no connection) saved
      // nothing and htmx swaps nothing in: say so, or the click seems to have done nothing.
      if (answerPost && event.detail.failed) showSubmitError(form, event.detail.xhr.status);
    });
  }

  function showSubmitError(form, status) {
    let error = form.querySelector("[data-submit-error]");
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.setAttribute("role", "alert");
      error.dataset.submitError = "";
      form.querySelector(".actions").before(error);
    }
    const why = status ? `the server failed (error ${status})` : "the connection failed";
    error.textContent = `Your answer was not saved: ${why}. It is still here; submit it again.`;
  }

  // Assessments: report pastes (their length, never the text) and leaving the page, for
  // the reviewers. sendBeacon survives the page being closed.
  let reporting = null;
  function report(kind, chars) {
    const card = document.querySelector("article.current[data-events-url]");
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!card || !token) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("kind", kind);
    data.append("question", card.dataset.question || "");
    if (chars !== undefined) data.append("chars", String(chars));
    navigator.sendBeacon(card.dataset.eventsUrl, data);
  }
  function watchAssessment(root) {
    root.querySelectorAll("article.current[data-events-url] textarea").forEach((area) => {
      if (area.dataset.pasteWatched) return; // one listener per box, or a paste is reported twice
      area.dataset.pasteWatched = "1";
      area.addEventListener("paste", (event) => report("paste", (event.clipboardData?.getData("text") || "").length));
    });
    if (reporting || !document.querySelector("article.current[data-events-url]")) return;
    reporting = true;
    let away = false; // switching tabs fires both blur and visibilitychange: report once
    const leave = () => { if (!away) { away = true; report("blur"); } };
    const back = () => { if (away) { away = false; report("focus"); } };
    document.addEventListener("visibilitychange", () => (document.hidden ? leave() : back()));
    window.addEventListener("blur", leave);
    window.addEventListener("focus", back);
  }

  function init(root) {
    watchAssessment(root);
    root.querySelectorAll("article.current").forEach(startTimers);
    root.querySelectorAll("form.answer-form").forEach(restoreDraft);
    const area = root.querySelector("form.answer-form textarea");
    if (area && root !== document) area.focus();
  }

  // A page restored from the back/forward cache is a snapshot: the interview may have
  // moved on (an answer submitted since, here or in another tab). Fetch it afresh.
  window.addEventListener("pageshow", (event) => { if (event.persisted) location.reload(); });
  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));
})();
