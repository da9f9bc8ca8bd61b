// The drawer on pages outside the nav (every paper and edition page): the same links as
// the tabs and the header, built from them instead of shipped a second time in every
// page (2 KB each). Runs where the drawer's <nav> stands, before Material's bundle.
// Without JavaScript the tabs stay on small screens too (digest.css).
(function () {
  "use strict";
  var nav = document.querySelector("[data-digest-drawer]");
  var logo = document.querySelector(".md-header .md-logo");
  var source = document.querySelector(".md-header__source .md-source");
  if (!nav || !logo) return;
  var nested = (nav.getAttribute("data-digest-drawer") || "").split(" ");

  function el(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    return node;
  }

  var title = el("label", "md-nav__title");
  title.htmlFor = "__drawer";
  var home = logo.cloneNode(true);
  home.className = "md-nav__button md-logo";
  title.append(home, logo.getAttribute("title"));
  nav.append(title);
  if (source) {
    var box = el("div", "md-nav__source");
    box.append(source.cloneNode(true));
    nav.append(box);
  }
  var list = el("ul", "md-nav__list");
  list.setAttribute("data-md-scrollfix", "");
  document.querySelectorAll(".md-tabs__link").forEach(function (tab, index) {
    var item = el("li", "md-nav__item");
    var link = el("a", "md-nav__link");
    link.href = tab.getAttribute("href");
    var name = el("span", "md-ellipsis");
    name.textContent = tab.textContent.trim();
    link.append(name);
    if (nested.indexOf(String(index)) >= 0) {
      item.classList.add("md-nav__item--pruned", "md-nav__item--nested");
      link.append(el("span", "md-nav__icon md-icon"));
    }
    item.append(link);
    list.append(item);
  });
  nav.append(list);
})();
