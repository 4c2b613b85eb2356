// SKP month page: a suggested-evidence button appends its text to the RHK's evidence field.
// No inline script (strict CSP): the buttons carry data-attach-evidence (the field id) and the text.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-attach-evidence]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-attach-evidence"));
    var text = button.getAttribute("data-evidence-text") || "";
    if (!field || !text) {
      return;
    }
    if (field.value.indexOf(text) === -1) {
      field.value = field.value ? field.value.replace(/\s+$/, "") + "\n" + text : text;
    }
    button.classList.add("active");
    button.setAttribute("aria-pressed", "true");
    field.focus();
  });
})();
