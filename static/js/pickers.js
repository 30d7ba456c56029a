/* Search-as-you-type pickers (intranet/pickers.py): each <select data-picker="/choix/…/"> becomes a
 * Tom Select (django-tomselect's static build, window.TomSelect) that asks the server as the person
 * types. The server ranks and limits the results; the field keeps its label, help text and error.
 * Without this script the select and the text field beside it still work. No inline script. */
(function () {
  "use strict";

  function copyAria(select, control) {
    for (const name of ["aria-describedby", "aria-invalid"]) {
      const value = select.getAttribute(name);
      if (value) { control.setAttribute(name, value); }
    }
    if (select.id) { control.setAttribute("data-focus-for", select.id); }
  }

  function start(select) {
    if (select.tomselect || !window.TomSelect) { return; }
    const url = select.dataset.picker;
    const texts = select.dataset;
    const fallback = select.parentElement.querySelector("[data-picker-fallback]");
    if (fallback) { fallback.remove(); }
    const plugins = {};
    if (select.multiple) { plugins.remove_button = {title: texts.pickerRemove}; }
    else if (!select.required) { plugins.clear_button = {title: texts.pickerRemove}; }
    const picker = new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      loadThrottle: 200,
      placeholder: texts.pickerPlaceholder,
      hidePlaceholder: true,
      plugins: plugins,
      shouldLoad: function (query) { return query.trim().length >= 2; },
      // The server ranks: keep its order.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        const self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: {"Accept": "application/json"},
        })
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + escape(texts.pickerNoResults) + "</div>";
        },
        loading: function (data, escape) {
          return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">'
            + escape(texts.pickerLoading) + "</span></div>";
        },
      },
    });
    copyAria(select, picker.control_input);
    // The original <select> stays in the form (it carries the value), hidden: Tom Select's field,
    // which the label now names, is the one people and screen readers use.
    select.setAttribute("aria-hidden", "true");
  }

  function startAll(root) {
    for (const select of root.querySelectorAll("select[data-picker]")) { start(select); }
  }

  document.addEventListener("htmx:afterSwap", function (event) { startAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  } else {
    startAll(document);
  }
})();
