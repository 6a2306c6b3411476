// The code editor for coding questions: CodeMirror 6 over the answer's <textarea>. The
// textarea stays the form field (hidden), so autosave, the local draft copy and a submit
// without JavaScript work as for text answers. Bundled by esbuild at `npm ci` (package.json).
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

function attach(area) {
  if (area.dataset.editorReady) return;
  area.dataset.editorReady = "1";
  const form = area.form;
  const submit = () => {
    if (form) form.requestSubmit(form.querySelector("button[type=submit]"));
    return true;
  };
  // CodeMirror writes its styles into a <style> element; the Content-Security-Policy
  // refuses one without the page's nonce, and the editor would be drawn unstyled.
  const nonce = document.querySelector('meta[name="csp-nonce"]')?.content || "";
  const view = new EditorView({
    doc: area.value,
    extensions: [
      EditorView.cspNonce.of(nonce),
      basicSetup,
      python(),
      indentUnit.of("    "),
      // Tab indents; CodeMirror lets Escape then Tab move focus on (the page says so).
      keymap.of([{ key: "Mod-Enter", run: submit }, indentWithTab]),
      EditorView.contentAttributes.of({ "aria-label": area.getAttribute("aria-label") || "Code", "aria-describedby": area.getAttribute("aria-describedby") || "" }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        // Non-breaking spaces (pasted from web pages, or typed by some input methods) are a
        // SyntaxError in Python: the code the form sends has plain spaces.
        area.value = update.state.doc.toString().replace(/\u00a0/g, " ");
        // The textarea's listeners (htmx autosave, the local draft copy) hear every edit.
        area.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    ],
  });
  area.hidden = true;
  area.after(view.dom);
  view.dom.classList.add("code-editor");
  view.dom.dataset.testid = "code-editor";
  // A draft restored from local storage lands in the textarea after this: follow it.
  area.addEventListener("backprop:restored", () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: area.value } });
  });
}

function init(root) {
  (root || document).querySelectorAll("textarea[data-code-editor]").forEach(attach);
}

document.addEventListener("DOMContentLoaded", () => init(document));
document.addEventListener("htmx:load", (event) => init(event.target));
