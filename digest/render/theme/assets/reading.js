// The reading list's hook, on every page: what the reader saved and read, in this
// browser's localStorage (no account, cookie or request), keyed by the papers' slugs.
// It makes the Save toggles and marks saved and read papers; the rest (saving, the Saved
// page, export, import, keyboard help) is reading-list.js, loaded when first needed.
(function () {
  "use strict";
  // The site's root, from this script's own address (it lives in assets/).
  var root = new URL("..", document.currentScript.src).pathname;
  var KEY = "paper-digest:" + root; // sites sharing an origin (GitHub Pages) keep apart
  var full = null;

  function parse(text) {
    try {
      var data = JSON.parse(text || "{}");
      if (data && typeof data === "object") {
        return {
          saved: data.saved && typeof data.saved === "object" ? data.saved : {},
          read: data.read && typeof data.read === "object" ? data.read : {},
          markRead: data.markRead !== false,
        };
      }
    } catch (error) { /* unreadable: start afresh */ }
    return { saved: {}, read: {}, markRead: true };
  }

  /** The stored state, or null when storage is off (a policy): then it lives this page only. */
  function load() {
    try {
      return parse(window.localStorage.getItem(KEY));
    } catch (error) {
      return null;
    }
  }

  var state = load() || parse(null);

  function has(map, slug) {
    return Object.prototype.hasOwnProperty.call(map, slug);
  }

  /** "Saved" (pressed) or "Save"; over a saved one digest.css shows "Remove". */
  function show(button, saved) {
    button.textContent = saved ? "Saved" : "Save";
    button.setAttribute("aria-pressed", saved);
    var title = button.dataset.digestTitle;
    if (title) button.setAttribute("aria-label", button.textContent + " " + title);
  }

  var api = window.DigestReading = {
    root: root,
    key: KEY,
    state: state,
    isSaved: function (slug) { return has(state.saved, slug); },
    isRead: function (slug) { return state.markRead && has(state.read, slug); },
    /** Write the state, merged with what other tabs wrote since (`change` edits it). */
    update: function (change) {
      var fresh = load() || state;
      change(fresh);
      try {
        window.localStorage.setItem(KEY, JSON.stringify(fresh));
      } catch (error) { /* full or off: keep it for this page */ }
      Object.assign(state, fresh);
    },
    show: show,
    /** Show saved and read state on the page's buttons and papers (all, or under `scope`). */
    mark: function (scope) {
      (scope || document).querySelectorAll("[data-digest-save]").forEach(function (button) {
        show(button, api.isSaved(button.dataset.digestSave));
      });
      (scope || document).querySelectorAll("[data-digest-item]").forEach(function (item) {
        if (api.isRead(item.dataset.digestItem)) item.setAttribute("data-read", "");
        else item.removeAttribute("data-read");
      });
    },
    /** A Save toggle; `title` names it where it is not named by reference. */
    button: function (slug, title) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "digest-save";
      button.dataset.digestSave = slug;
      if (title) button.dataset.digestTitle = title;
      show(button, api.isSaved(slug));
      return button;
    },
    /** The full script, loaded once. */
    full: function () {
      if (!full) {
        full = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = root + "assets/reading-list.js";
          script.onload = function () { resolve(window.DigestReadingList); };
          script.onerror = function () { full = null; reject(new Error("reading list")); };
          document.head.appendChild(script);
        });
      }
      return full;
    },
  };

  // The Save toggles of the page's paper and listed papers, made here: they work only
  // with this script, and a listing of thousands of papers would carry one each. A
  // listed paper's toggle is named by reference: "Save" and the paper's title.
  // A listed paper's slug is in its title's link (papers/<slug>/).
  document.querySelectorAll("li.digest-item:not([data-digest-item])").forEach(function (item, index) {
    var title = item.querySelector(":scope > a");
    var slug = title && /(?:^|\/)papers\/([^/?#]+)\/$/.exec(title.getAttribute("href"));
    if (!slug) return;
    item.dataset.digestItem = slug[1];
    if (item.querySelector("[data-digest-save]")) return;
    var button = api.button(slug[1]);
    title.id = title.id || "digest-item-" + index;
    button.id = title.id + "-save";
    button.setAttribute("aria-labelledby", button.id + " " + title.id);
    item.appendChild(button);
  });
  // A paper page's slug is its address (marked for reading-list.js).
  var paper = document.querySelector("article.digest-paper");
  var here = paper && /^papers\/([^/]+)\//.exec(location.pathname.slice(root.length));
  if (here) paper.dataset.digestPaper = here[1];
  else paper = null;
  var abstract = paper && paper.querySelector(".digest-abstract");
  if (abstract && !paper.querySelector("[data-digest-save]")) {
    var actions = document.createElement("p");
    actions.className = "digest-actions";
    actions.appendChild(api.button(paper.dataset.digestPaper));
    paper.insertBefore(actions, abstract);
  }

  document.documentElement.classList.add("digest-reading");
  if (Object.keys(state.saved).length || (state.markRead && Object.keys(state.read).length)) {
    api.mark();
  }

  // Back from a paper, the browser may show this page from its cache: mark it afresh.
  window.addEventListener("pageshow", function (event) {
    var fresh = event.persisted && load();
    if (!fresh) return;
    Object.assign(state, fresh);
    api.mark();
  });

  // A paper page the reader opened is read: written when they leave it, not at load.
  if (paper) {
    var slug = paper.dataset.digestPaper;
    var remember = function (event) {
      if ((event.type === "pagehide" || document.visibilityState === "hidden") && !has(state.read, slug)) {
        api.update(function (fresh) { fresh.read[slug] = 1; });
      }
    };
    document.addEventListener("visibilitychange", remember);
    window.addEventListener("pagehide", remember);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-digest-save]");
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    api.full().then(function (list) { list.toggle(button); });
  }, true);

  // j / k move between the papers of a listing, s saves the focused one, ? opens the
  // keyboard help: handled before the header search's own "s" (this listens in capture).
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey ||
        typing(event.target)) return;
    var key = event.key;
    if (key === "?") {
      event.preventDefault();
      api.full().then(function (list) { list.help(); });
      return;
    }
    if (key !== "j" && key !== "k" && key !== "s") return;
    var items = Array.prototype.slice.call(document.querySelectorAll(".digest-item[data-digest-item]"));
    if (!items.length) return;
    var current = event.target.closest && event.target.closest(".digest-item[data-digest-item]");
    if (key === "s") {
      if (!current) return; // outside a listing, s focuses the search box
      event.preventDefault();
      var save = current.querySelector("[data-digest-save]");
      if (save) api.full().then(function (list) { list.toggle(save); });
      return;
    }
    event.preventDefault();
    var at = items.indexOf(current);
    var next = key === "j" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
    if (at < 0) next = key === "j" ? 0 : items.length - 1;
    var link = items[next].querySelector(":scope > a, .digest-item__title");
    if (link) {
      link.focus();
      link.scrollIntoView({ block: "nearest" });
    }
  }, true);

  if (document.getElementById("digest-saved")) api.full();
})();
