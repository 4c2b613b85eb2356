// Sinergi: progressive enhancements. Everything works without this file too.
(function () {
  "use strict";
  // Confirm dangerous actions: <button data-confirm="...">
  document.addEventListener("click", function (event) {
    const el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Show htmx network errors in the messages area, in the page language.
  document.body.addEventListener("htmx:responseError", function (event) {
    const box = document.getElementById("messages");
    if (!box) { return; }
    const div = document.createElement("div");
    div.className = "alert alert-danger";
    div.setAttribute("role", "alert");
    const lang = document.documentElement.lang;
    div.textContent = lang === "en"
      ? "The request failed (" + event.detail.xhr.status + "). Reload the page and try again."
      : "Permintaan gagal (" + event.detail.xhr.status + "). Muat ulang halaman lalu coba lagi.";
    box.appendChild(div);
  });
})();
