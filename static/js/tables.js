/* Wide tables and charts scroll inside their own box, never the page (WCAG 1.4.10, reflow at
   320 px). Every table of the page's content sits in a `.table-responsive` box (wrapped here
   when the template did not), every chart in a `.mc-chart` box; while its content is wider
   than the box, the box is a focusable region named after the table's caption (or the heading
   before it) or the chart's title, so that a keyboard user can scroll it with the arrow keys
   (axe: scrollable-region-focusable). */
(function () {
  "use strict";
  var fallback = document.documentElement.lang === "en" ? "Table" : "Tableau";

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = table.closest(".table-responsive") || table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return fallback;
  }

  var BOXES = "main .table-responsive, main .mc-chart";

  function boxName(box) {
    var table = box.querySelector("table");
    if (table) return nameOf(table);
    var title = box.querySelector("svg > title");
    return (title && title.textContent.trim()) || fallback;
  }

  function update(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", boxName(box));
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function setup(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-responsive")) {
        box = document.createElement("div");
        box.className = "table-responsive";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
    });
    document.querySelectorAll(BOXES).forEach(update);
  }

  setup();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { document.querySelectorAll(BOXES).forEach(update); }, 100);
  });
  document.addEventListener("htmx:afterSettle", function () { setup(); });
})();
