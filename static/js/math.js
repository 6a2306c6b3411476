// LaTeX in questions, answers and feedback: the server marks math spans (markdown's
// $...$ / $$...$$), KaTeX (installed from npm) typesets them, here and in htmx swaps.
(function () {
  "use strict";
  function typeset(root) {
    if (!window.katex) return;
    root.querySelectorAll(".math:not([data-typeset])").forEach((el) => {
      el.dataset.typeset = "1";
      try {
        window.katex.render(el.textContent, el, { displayMode: el.classList.contains("block"), throwOnError: false });
      } catch (error) {
        // Leave the source visible: a typo in a formula must never hide the text.
      }
    });
  }
  document.addEventListener("DOMContentLoaded", () => typeset(document));
  document.addEventListener("htmx:load", (event) => typeset(event.detail.elt));
})();
