// Live show/hide of conditional questions ("afficher si la réponse à … est …").
// The server applies the same rule on submit (surveys/answering.py): this is comfort only.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }

  function answerTokens(name) {
    var tokens = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { tokens.push(input.value); }
      } else if (input.value.trim() !== "") {
        tokens.push(input.value.trim());
      }
    });
    return tokens;
  }

  function isShown(element) {
    var wrapper = element.closest(".survey-question");
    return !wrapper || !wrapper.hidden;
  }

  function refresh() {
    // In document order: a question whose parent is hidden is hidden too.
    form.querySelectorAll(".survey-question[data-condition-field]").forEach(function (question) {
      var field = question.dataset.conditionField;
      var parentInput = form.querySelector("[name='" + field + "']");
      var visible = parentInput !== null && isShown(parentInput)
        && answerTokens(field).indexOf(question.dataset.conditionValue) !== -1;
      question.hidden = !visible;
    });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
}());
