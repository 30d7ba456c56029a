/* The rich-text editor: django-prose-editor's ProseMirror build (its static editor.js), started by
 * our own module so that it runs under our CSP (no import map, no injected <style>).
 * Each <textarea data-rich-text='{"module":…,"extensions":{…},"labels":{…}}'> becomes an editor
 * offering the extensions the server allows (intranet/sanitize.py), labelled by the field's
 * <label>, described by its help text and error, with a toolbar named in the page's language. */

const SELECTOR = "textarea[data-rich-text]";
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;
// What is pasted from a word processor or a web page carries styles, scripts, images and handlers.
// They are cut out of the text before the editor parses it: the editor would drop them anyway, but
// parsing them at all breaks the CSP's rules (every parser of the page inherits them). The server's
// sanitiser stays the gate; this only keeps the console and the CSP reports quiet.
const PASTED_NOISE = [
  /<(script|style|iframe|object|embed|noscript|template|svg|math)\b[\s\S]*?<\/\1\s*>/gi,
  /<\/?(script|style|iframe|object|embed|noscript|template|svg|math|link|meta|img|source|video|audio|base)\b[^>]*>/gi,
  /\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi,
];

function cleanPasted(html) {
  return PASTED_NOISE.reduce((text, pattern) => text.replace(pattern, ""), html);
}

// The toolbar shows a button's state by its class only: say it to screen readers too.
function syncStates(button) {
  button.setAttribute("aria-disabled", button.classList.contains("disabled") ? "true" : "false");
  if (button.dataset.name && !button.dataset.name.includes(":")) {
    button.setAttribute("aria-pressed", button.classList.contains("active") ? "true" : "false");
  }
}

function relabel(root, labels) {
  const menubar = root.querySelector(".prose-menubar");
  if (menubar) {
    menubar.setAttribute("role", "toolbar");
    menubar.setAttribute("aria-label", labels.toolbar || "");
    for (const button of menubar.querySelectorAll("button")) { syncStates(button); }
    new MutationObserver((mutations) => {
      for (const mutation of mutations) { syncStates(mutation.target); }
    }).observe(menubar, {subtree: true, attributes: true, attributeFilter: ["class"]});
  }
  for (const button of root.querySelectorAll("button")) {
    const name = button.getAttribute("aria-label") || button.getAttribute("title");
    if (name && labels[name]) {
      button.setAttribute("aria-label", labels[name]);
      button.setAttribute("title", labels[name]);
    }
  }
}

function relabelDialog(dialog, labels) {
  for (const node of dialog.querySelectorAll("label, button, .prose-editor-dialog-title, legend")) {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE && labels[child.textContent.trim()]) {
        child.textContent = labels[child.textContent.trim()];
      }
    }
  }
}

async function start(textarea) {
  const config = JSON.parse(textarea.dataset.richText);
  const lib = await import(config.module);
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions)) {
    const extension = lib[name];
    if (!extension) { continue; }
    extensions.push(options && typeof options === "object" ? extension.configure(options) : extension);
  }
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  if (label && !label.id) { label.id = `${textarea.id}_label`; }
  const attributes = {"aria-multiline": "true", "data-focus-for": textarea.id, class: "rich-text-content"};
  if (label) { attributes["aria-labelledby"] = label.id; }
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (textarea.getAttribute(name)) { attributes[name] = textarea.getAttribute(name); }
  }
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor rich-text";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new lib.Editor({
    element: wrapper,
    extensions,
    content: textarea.value,
    injectCSS: false,
    editable: !textarea.disabled,
    editorProps: {attributes, transformPastedHTML: cleanPasted},
    onUpdate({editor: current}) {
      const html = current.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", {bubbles: true}));
    },
  });
  // The toolbar is built when the editor is created (after this call returns).
  editor.on("create", () => { setTimeout(() => relabel(wrapper, config.labels), 0); });
  // The link and table dialogs are added to the page when opened: name their fields too.
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) { continue; }
        const dialogs = node.matches("dialog") ? [node] : node.querySelectorAll("dialog");
        for (const dialog of dialogs) { relabelDialog(dialog, config.labels); }
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
  textarea.dispatchEvent(new CustomEvent("rich-text:ready", {detail: {editor}, bubbles: true}));
  return editor;
}

for (const textarea of document.querySelectorAll(SELECTOR)) {
  start(textarea).catch((error) => { console.error("rich-text", error); });
}
