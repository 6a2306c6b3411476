// Busy state for actions that can take a while (analysing a posting, building a set,
// starting an interview, submitting an answer, inviting, regrading). A form marked
// `data-busy` gets aria-busy="true" and htmx's `htmx-request` class (which shows its
// `.htmx-indicator`), and its submit button is disabled and relabelled from
// `data-busy-label` ("Analysing…"), until the response arrives.
// Plain forms (a full-page POST, so they work without JavaScript) are handled here on
// submit; htmx forms get the disabling and the indicator from htmx itself
// (hx-disabled-elt, the `htmx-request` class) and only the label and aria-busy from here.
(function () {
  "use strict";

  // A button with its own hx-post (the coding editor's "Run visible tests") is busy on its
  // own request, not when its form submits.
  function buttons(form) {
    return form.querySelectorAll("button[data-busy-label]:not([hx-post])");
  }
  function relabel(button, busy) {
    const label = button.querySelector(".busy-label") || button; // beside the spinner, if any
    if (busy) {
      if (button.dataset.idleLabel === undefined) button.dataset.idleLabel = label.textContent;
      label.textContent = button.dataset.busyLabel;
    } else if (button.dataset.idleLabel !== undefined) {
      label.textContent = button.dataset.idleLabel;
      delete button.dataset.idleLabel;
    }
  }

  function setBusy(form, busy) {
    if (busy) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
    buttons(form).forEach((button) => relabel(button, busy));
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; } // a second click
    if (event.defaultPrevented) return; // an htmx form: see the htmx events below
    setBusy(form, true);
    form.classList.add("htmx-request");
    // Disabled only after the browser has collected the form's fields (a disabled
    // submitter would drop its own name and value from the request).
    setTimeout(() => buttons(form).forEach((button) => { button.disabled = true; }), 0);
  });

  // Back to a page kept in the back/forward cache: the form is idle again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy][aria-busy]").forEach((form) => {
      setBusy(form, false);
      form.classList.remove("htmx-request");
      buttons(form).forEach((button) => { button.disabled = false; });
    });
  });

  function htmxForm(event) {
    const elt = event.detail && event.detail.elt;
    return elt instanceof HTMLFormElement && elt.hasAttribute("data-busy") ? elt : null;
  }
  function htmxButton(event) {
    const elt = event.detail && event.detail.elt;
    return elt instanceof HTMLButtonElement && elt.hasAttribute("data-busy-label") ? elt : null;
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = htmxForm(event), button = htmxButton(event);
    if (form) setBusy(form, true);
    if (button) relabel(button, true);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = htmxForm(event), button = htmxButton(event);
    if (form) setBusy(form, false);
    if (button) relabel(button, false);
  });
})();
