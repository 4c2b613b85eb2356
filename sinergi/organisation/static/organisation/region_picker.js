// Cascading region picker (organisation/widgets.py): fills in the parameters of the htmx requests
// and empties the levels below a changed one. The selects work without this file too.
(function () {
  "use strict";

  function levelSelect(root, level) {
    return root.querySelector('select[data-region-level="' + level + '"]');
  }

  function levelSearch(root, level) {
    return root.querySelector('input[data-region-search="' + level + '"]');
  }

  function showSearchBoxes(scope) {
    scope.querySelectorAll("[data-region-picker] input[data-region-search]").forEach(function (input) {
      input.hidden = false;
    });
  }

  showSearchBoxes(document);
  document.body.addEventListener("htmx:load", function (event) {
    if (event.detail.elt && event.detail.elt.querySelectorAll) {
      showSearchBoxes(event.detail.elt);
    }
  });

  // The endpoint takes ?level=<n>&parent=<code>&q=<text>&selected=<code>.
  document.body.addEventListener("htmx:configRequest", function (event) {
    const elt = event.detail.elt;
    const root = elt.closest ? elt.closest("[data-region-picker]") : null;
    if (!root) { return; }
    let level;
    let parent;
    let query = "";
    let selected = "";
    if (elt.matches("select[data-region-level]")) {
      level = Number(elt.dataset.regionLevel) + 1;
      parent = elt.value;
    } else if (elt.matches("input[data-region-search]")) {
      level = Number(elt.dataset.regionSearch);
      const above = levelSelect(root, level - 1);
      parent = above ? above.value : "";
      query = elt.value;
      selected = levelSelect(root, level).value;
    } else {
      return;
    }
    const params = event.detail.parameters;
    if (elt.name) { delete params[elt.name]; }
    params.level = String(level);
    params.parent = parent;
    params.q = query;
    params.selected = selected;
  });

  // A new choice at one level makes every choice below it stale.
  document.body.addEventListener("change", function (event) {
    const select = event.target;
    if (!select.matches || !select.matches("select[data-region-level]")) { return; }
    const root = select.closest("[data-region-picker]");
    if (!root) { return; }
    const next = Number(select.dataset.regionLevel) + 1;
    const nextSearch = levelSearch(root, next);
    if (nextSearch) { nextSearch.value = ""; }
    for (let level = next + 1; levelSelect(root, level); level += 1) {
      const deeper = levelSelect(root, level);
      while (deeper.options.length > 1) { deeper.remove(1); }
      deeper.value = "";
      const search = levelSearch(root, level);
      if (search) { search.value = ""; }
    }
  });
})();
