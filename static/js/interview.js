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
      if (r && limit) r.textContent = format(Math.max(0, limit - i0 - extra));
      setTimeout(tick, 1000);
    };
    tick();
  }

  function restoreDraft(form) {
    const key = form.dataset.draftKey, area = form.querySelector("textarea[name=text]");
    if (!key || !area) return;
    const saved = localStorage.getItem(key);
    if (saved && !area.value.trim()) {
      area.value = saved;
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
      const submitted = event.detail.successful && event.detail.requestConfig.verb === "post"
        && event.detail.pathInfo.requestPath.endsWith("/answer/");
      if (submitted) localStorage.removeItem(key);
    });
  }

  function init(root) {
    root.querySelectorAll("article.current").forEach(startTimers);
    root.querySelectorAll("form.answer-form").forEach(restoreDraft);
    const area = root.querySelector("form.answer-form textarea");
    if (area && root !== document) area.focus();
  }

  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (event) => init(event.detail.elt));
})();
