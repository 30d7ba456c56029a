/* Wide tables and charts never widen the page (WCAG 1.4.10, reflow at 320 px).

   - On a phone (below 576 px), a table too wide for the screen becomes stacked rows: one block
     per row, each cell under its column's name (when its header is a plain row of <th> and it
     has at most 25 rows); ARIA roles keep it a table for screen readers, whatever the CSS
     display does.
   - Otherwise a wide table scrolls inside its `.table-responsive` box (wrapped here when the
     template did not), a chart inside its `.mc-chart` box; while its content is wider than the
     box, the box is a focusable region named after the table's caption (or the heading before
     it) or the chart's title, so that a keyboard user can scroll it with the arrow keys
     (axe: scrollable-region-focusable). */
(function () {
  "use strict";
  var fallback = document.documentElement.lang === "en" ? "Table" : "Tableau";
  var BOXES = "main .table-responsive, main .mc-chart";
  var phone = window.matchMedia("(max-width: 575.98px)");

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

  function boxName(box) {
    var table = box.querySelector("table");
    if (table) return nameOf(table);
    var title = box.querySelector("svg > title");
    return (title && title.textContent.trim()) || fallback;
  }

  var STACK_AT_MOST = 25;  // rows: a longer list (a log, a page of deliveries) scrolls instead

  /* The column names, or null when the table is not to be stacked (no header row, merged cells,
     too many rows). */
  function columnNames(table) {
    var head = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0] : null;
    if (!head || table.querySelector("[colspan]:not([colspan='1']), [rowspan]:not([rowspan='1'])")) return null;
    var count = 0;
    for (var t = 0; t < table.tBodies.length; t++) count += table.tBodies[t].rows.length;
    if (count > STACK_AT_MOST) return null;
    var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.trim(); });
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) if (rows[r].cells.length !== names.length) return null;
    }
    return names;
  }

  function stack(table, names) {
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) { group.setAttribute("role", "rowgroup"); });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        var inHead = row.parentElement.tagName === "THEAD";
        cell.setAttribute("role", inHead ? "columnheader" : cell.tagName === "TH" ? "rowheader" : "cell");
        if (!inHead && names[index]) cell.setAttribute("data-label", names[index]);
      });
    });
    table.classList.add("mc-stacked");
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

  function layout() {
    document.querySelectorAll("main .mc-stacked").forEach(function (table) { table.classList.remove("mc-stacked"); });
    if (phone.matches) {
      document.querySelectorAll("main .table-responsive > table").forEach(function (table) {
        var box = table.parentElement;
        if (box.scrollWidth <= box.clientWidth + 1) return;
        var names = columnNames(table);
        if (names) stack(table, names);
      });
    }
    document.querySelectorAll(BOXES).forEach(update);
  }

  function setup() {
    document.querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-responsive")) {
        box = document.createElement("div");
        box.className = "table-responsive";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
    });
    layout();
  }

  setup();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(layout, 100);
  });
  document.addEventListener("htmx:afterSettle", setup);
})();
