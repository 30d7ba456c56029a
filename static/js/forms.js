/* Accessible forms (RGAA; the DSFR's and GOV.UK's error pattern).
 * - The error summary of a form that failed takes the focus when the page loads (or when htmx
 *   swaps one in), so that a screen reader reads it first and a keyboard starts from it.
 * - Its links move the focus to the field and scroll the field's label or legend into view.
 * No inline script: served from our static files under the CSP. */
(function () {
  "use strict";

  function labelFor(control) {
    var fieldset = control.closest("fieldset");
    if ((control.type === "radio" || control.type === "checkbox") && fieldset) {
      var legend = fieldset.querySelector("legend");
      if (legend) { return legend; }
    }
    if (control.id) {
      var label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
      if (label) { return label; }
    }
    return control;
  }

  function focusField(id) {
    var control = document.getElementById(id);
    if (!control) { return false; }
    // A link to a question (a group of controls): its first control.
    if (!control.matches("input, select, textarea, button, [contenteditable]")) {
      control = control.querySelector("input:not([type=hidden]), select, textarea, [contenteditable]") || control;
    }
    // An editor or a picker hides the original control: focus what stands in for it.
    if (control.hidden || control.type === "hidden" || control.offsetParent === null) {
      var proxy = document.querySelector('[data-focus-for="' + CSS.escape(id) + '"]');
      if (proxy) { control = proxy; }
    }
    labelFor(control).scrollIntoView({block: "start"});
    control.focus({preventScroll: true});
    return document.activeElement === control;
  }

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    summary.scrollIntoView({block: "start"});
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    if (focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.target); });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  } else {
    focusSummary(document);
  }
})();
