// The search page: Pagefind's UI with filters, its query kept in the URL (?q=...).
(function () {
  "use strict";
  var mount = document.getElementById("digest-search");
  if (!mount || typeof PagefindUI === "undefined") return;
  var rootMeta = document.querySelector('meta[name="digest-root"]');
  var root = new URL(rootMeta ? rootMeta.content : "./", window.location.href).pathname;
  var ui = new PagefindUI({
    element: "#digest-search",
    bundlePath: root + "pagefind/",
    baseUrl: root,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true,
  });
  var params = new URLSearchParams(window.location.search);
  var q = params.get("q");
  if (q) ui.triggerSearch(q);
  mount.addEventListener("input", function (event) {
    if (!event.target.matches("input[type=text], input[type=search]")) return;
    var url = new URL(window.location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();
