// Search from every page: Pagefind results as you type in Material's header search box.
//
// Pagefind's JS API (pagefind/pagefind.js) is imported on first use only, so ordinary
// page loads fetch nothing for search. Every path starts from the site's root, found from
// this script's own address, so the site works under any sub-path, such as a GitHub Pages
// project site. Also shared with the search page, through
// window.DigestSearch: the loader, the safe excerpt renderer and the date format.
(function () {
  "use strict";

  var HIGHLIGHT_PARAM = "pagefind-highlight";
  var MAX_RESULTS = 8;
  var MIN_CHARS = 2; // a word of one letter matches nearly every paper: it is left out
  // So are words found in nearly every abstract: their part of the index is the largest
  // (about 100 KB on a 10,000-paper site) and they narrow nothing down.
  var STOP_WORDS = new Set(("an and are as at be by can for from has have in into is it its " +
    "of on or our than that the their these this to via was we were which with").split(" "));
  // Each word fetches the part of the index that holds it (about 20 KB): the box searches
  // the first few words of a long query. Enter searches them all on the search page.
  var MAX_WORDS = 4;
  // Pagefind ranks a query by pairing every page it matches with every posting of the
  // query's words, so a search takes time in proportion to (papers matched) x (postings
  // read): 6 to 8 ns a pair on a 2-core machine. A query past this budget (a word found
  // in most papers, on a large site) shows the newest papers that match instead, found
  // through the "recent" filter (digest/site/views.py: RECENT_BANDS).
  var RANK_BUDGET = 8e6;
  var RECENT = "recent";
  var COUNT_ONLY = { recent: "none" }; // no paper has this value: Pagefind counts, ranks none
  // A search runs once the keys pause briefly: it reads the index only. The results'
  // texts are fetched once the pause is a little longer than between a brisk typist's
  // keys, so that typing does not fetch results for every prefix on the way. A short last
  // word is most often the start of a longer one, and a short prefix fetches an index
  // chunk the whole word will not need: its search waits for that longer pause too.
  var SEARCH_QUIET_MS = 60;
  var QUIET_MS = 160;
  var SHORT_WORD = 4;
  var NEAR_TITLE = "Also matching some of your words";
  var NEAR_MARK = "Some of your words";
  var numberFormat = new Intl.NumberFormat("en");
  var root = new URL("..", document.currentScript.src).pathname; // this script is in assets/
  var bundle = root + "pagefind/";
  var pagefindPromise = null;

  /** The index's shards (digest/render/search_index.py), from the first bundle's shards.json,
   *  fetched beside pagefind.js; without it, the first bundle alone. */
  function loadShards() {
    return fetch(bundle + "shards.json", { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (listed) {
        var names = (listed && Array.isArray(listed.bundles) ? listed.bundles : [])
          .filter(function (name) { return /^pagefind(-[0-9]+)?\/$/.test(name); });
        return names.length ? names : ["pagefind/"];
      })
      .catch(function () { return ["pagefind/"]; });
  }

  /** Import Pagefind once and open every shard; every caller shares the same search
   *  (several shards: merged by search-shards.js). The first shard is ready before the
   *  others open: instances share one WebAssembly module, which two loading at once
   *  would each set up, the second replacing the first's memory. */
  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = Promise.all([import(bundle + "pagefind.js"), loadShards()])
        .then(function (loaded) {
          var pagefind = loaded[0];
          var names = loaded[1];
          function open(name) {
            return pagefind.createInstance({
              basePath: root + name,
              baseUrl: root, highlightParam: HIGHLIGHT_PARAM, excerptLength: 30,
              // Pagefind's web worker is a second copy of its code (12 KB). The header box
              // keeps its searches short (RANK_BUDGET) and runs them on the page; the
              // search page, whose facet counts take longer, keeps typing smooth with it.
              noWorker: !document.getElementById("digest-sp-form"),
            });
          }
          var first = open(names[0]);
          if (names.length === 1) return first;
          return Promise.all([import(root + "assets/search-shards.js"), first.preload("")])
            .then(function (done) {
              return done[0].merged([first].concat(names.slice(1).map(open)));
            });
        });
      pagefindPromise.catch(function () {
        pagefindPromise = null; // let a later attempt try again
      });
    }
    return pagefindPromise;
  }

  /** The query syntax's searches (search-syntax.js: author:, topic:, year:, -word, near
   *  misses), imported once, only for a query that needs them. */
  var syntaxPromise = null;
  function loadSyntax() {
    if (!syntaxPromise) {
      syntaxPromise = import(root + "assets/search-syntax.js");
      syntaxPromise.catch(function () { syntaxPromise = null; });
    }
    return syntaxPromise;
  }

  /** Pagefind's excerpt as DOM nodes: its text and its <mark>s, nothing else.
   *  Pagefind escapes < and > in excerpts (not &); the string is parsed in an inert
   *  document and only text and <mark> come out, so no markup from a page can run. */
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    var fragment = document.createDocumentFragment();
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  // A result's excerpt: about EXCERPT_WORDS words around the matches (Pagefind's own
  // excerpt starts and stops wherever its window of words falls).
  var EXCERPT_WORDS = 30;
  var LISTED_AUTHORS = 3;
  var SENTENCE_BACK = 15; // start up to this many words before the first match, at a sentence
  var SENTENCE_END = /[.!?…]["'”’)\]]*$/;
  var SENTENCE_START = /^["'“‘(\[]*[\p{Lu}\p{N}]/u; // not after "e.g." or "et al."

  /** The excerpt a result shows, as HTML (escaped text and <mark>s) for excerptNodes:
   *  Pagefind's densest window of matches, from the page's plain words as Pagefind
   *  counts them (its locations index them); it starts where the sentence of its first
   *  match starts when that is near, ends where a sentence ends when one is near, and is
   *  otherwise cut between words with an ellipsis. Pagefind's excerpt when the text is
   *  split otherwise (zero-width spaces, for scripts written without spaces). */
  function excerptHtml(data) {
    var content = data.content || "";
    if (!content.trim() || content.indexOf("\u200B") >= 0) return data.excerpt;
    var words = content.split(/[\r\n\s]+/g);
    var weights = [];
    var found = data.weighted_locations && data.weighted_locations.length
      ? data.weighted_locations
      : (data.locations || []).map(function (at) { return { location: at, balanced_score: 1 }; });
    found.forEach(function (hit) {
      weights[hit.location] = (weights[hit.location] || 0) + hit.balanced_score;
    });
    function sentenceAt(i) {
      return i === 0 || (SENTENCE_END.test(words[i - 1]) && SENTENCE_START.test(words[i] || ""));
    }
    // The window with the most weight (the first, of equals).
    var sums = [0];
    words.forEach(function (word, i) { sums.push(sums[i] + (weights[i] || 0)); });
    var from = 0;
    for (var at = 1; at + EXCERPT_WORDS <= words.length; at++) {
      if (sums[at + EXCERPT_WORDS] - sums[at] > sums[from + EXCERPT_WORDS] - sums[from]) from = at;
    }
    var hits = found.map(function (hit) { return hit.location; }).sort(function (a, b) { return a - b; });
    var first = hits.filter(function (location) { return location >= from; })[0];
    if (first === undefined) first = from;
    var start = Math.max(from, first - SENTENCE_BACK);
    var sentence = false;
    for (var back = first; back >= Math.max(0, first - SENTENCE_BACK); back--) {
      if (sentenceAt(back)) {
        start = back;
        sentence = true;
        break;
      }
    }
    // Keep the window's matches in view, within half a window more.
    var inWindow = hits.filter(function (l) { return l >= from && l < from + EXCERPT_WORDS; });
    var last = inWindow.length ? inWindow[inWindow.length - 1] : first;
    var end = Math.min(words.length, Math.max(start + EXCERPT_WORDS,
                                              Math.min(last + 3, start + EXCERPT_WORDS * 1.5)));
    var cut = end < words.length;
    for (var ahead = Math.min(words.length, end + 6); cut && ahead > Math.max(first, end - 10); ahead--) {
      if (ahead === words.length ? SENTENCE_END.test(words[ahead - 1]) : sentenceAt(ahead)) {
        end = ahead;
        cut = false;
      }
    }
    var marked = {};
    hits.forEach(function (location) { marked[location] = true; });
    var shown = words.slice(start, end).map(function (word, i) {
      if (cut && start + i === end - 1) word = word.replace(/[,;:(\u2013\u2014-]+$/, "") || word;
      word = word.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); // text
      return marked[start + i] ? "<mark>" + word + "</mark>" : word;
    });
    return (start > 0 && !sentence ? "…" : "") + shown.join(" ").trim() + (cut ? "…" : "");
  }

  /** Call fn for the newest request only: after `delay` ms (or the delay given to the
   *  request) without a newer one, and never while a previous call is still running.
   *  Pagefind answers one search at a time, so searches for every keystroke would queue
   *  up and the last one would wait for them all. */
  function latestOnly(fn, delay) {
    var timer = null;
    var running = false;
    var again = false;
    function start() {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
      Promise.resolve().then(fn).catch(function () {}).then(function () {
        running = false;
        if (again) start();
      });
    }
    return function schedule(wait) {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(start, wait === true ? 0 : typeof wait === "number" ? wait : delay);
    };
  }

  var dateFormat = new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });

  function formatDate(iso) {
    var date = new Date(iso + "T00:00:00Z");
    return isNaN(date) ? iso : dateFormat.format(date);
  }

  /** The paper's slug from its page URL (…/papers/<slug>/?…): the reading list's key. */
  function slugOf(url) {
    var match = /\/papers\/([^/?#]+)\//.exec(url || "");
    return match ? match[1] : "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** One paper's result: title (a link when href is given), date, topic chips and
   *  highlighted excerpt; `near` (the query words it holds) marks a near miss. */
  function resultBody(data, titleTag, href, near) {
    var article = el("article", "digest-result" + (near ? " digest-result--near" : ""));
    article.dataset.slug = slugOf(data.url);
    var title = el(titleTag || "div", "digest-result__title");
    var titleText = data.meta.title || data.url; // metadata is plain text: never parse it
    if (href) {
      var link = el("a", "digest-result__link", titleText);
      link.href = href;
      title.appendChild(link);
    } else {
      title.textContent = titleText;
    }
    article.appendChild(title);
    // The first authors, as listings name them (digest/site/views.py: LISTED_AUTHORS),
    // from the page's author filters, which keep the paper's order.
    var authors = (data.filters && data.filters.author) || [];
    if (authors.length) {
      article.appendChild(el("p", "digest-result__authors", authors.length > LISTED_AUTHORS
        ? authors.slice(0, LISTED_AUTHORS).join(", ") + " et al." : authors.join(", ")));
    }
    var meta = el("p", "digest-result__meta");
    // The date is the edition's, from its filter: a date in the metadata would be indexed
    // as words, and every paper would match its year, month and day.
    var date = ((data.filters && data.filters.edition) || [])[0];
    if (date) {
      var time = el("time", "digest-result__date", formatDate(date));
      time.dateTime = date;
      meta.appendChild(time);
    }
    var topics = (data.filters && data.filters.topic) || [];
    topics.forEach(function (topic) {
      meta.appendChild(el("span", "digest-result__chip", topic));
    });
    if (near) meta.appendChild(el("span", "digest-result__near", NEAR_MARK));
    article.appendChild(meta);
    var excerpt = el("p", "digest-result__excerpt");
    excerpt.appendChild(excerptNodes(excerptHtml(data)));
    article.appendChild(excerpt);
    var reading = window.DigestReading; // theme/assets/reading.js: saved and read papers
    if (reading && reading.isRead(article.dataset.slug)) article.setAttribute("data-read", "");
    // A result whose title is a link (not itself inside one) carries its Save toggle.
    if (reading && href && article.dataset.slug) {
      article.appendChild(reading.button(article.dataset.slug, titleText));
    }
    return article;
  }

  // --- What readers type: "exact phrase", -word, author:Name, topic:slug, year:2026 ---
  var FIELDS = { author: true, topic: true, year: true };
  var TOKEN = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))/g;

  /** The parts of a query: words and "phrases" every paper must hold (units, in order),
   *  -excluded words or phrases, and field:value terms (several of a field: all apply). */
  function parseQuery(text) {
    var parsed = { units: [], exclude: [], fields: [] };
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text || ""))) {
      var minus = match[1] === "-";
      var key = match[2] ? match[2].toLowerCase() : "";
      var quoted = match[3] !== undefined;
      var value = (quoted ? match[3] : match[4] || "").trim();
      if (key && !FIELDS[key]) {
        value = match[2] + ":" + value; // not a field: an ordinary word
        key = "";
      }
      if (!value) continue;
      if (key) {
        parsed.fields.push({ key: key, value: value });
        continue;
      }
      var unit = quoted && /\s/.test(value) ? '"' + value + '"' : value;
      if (minus) parsed.exclude.push(unit);
      else if (quoted || isContentWord(value)) parsed.units.push(unit);
    }
    return parsed;
  }

  function isContentWord(word) {
    var bare = word.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
    return bare.length >= MIN_CHARS && !STOP_WORDS.has(bare);
  }

  /** Both filter objects at once (either may be null or empty). */
  function bothFilters(a, b) {
    var list = [a, b].filter(function (f) { return f && Object.keys(f).length; });
    return list.length > 1 ? { all: list } : list[0] || {};
  }

  window.DigestSearch = {
    root: root,
    searchPage: root + "search/",
    load: loadPagefind,
    latestOnly: latestOnly,
    minChars: MIN_CHARS,
    excerptNodes: excerptNodes,
    formatDate: formatDate,
    resultBody: resultBody,
    slugOf: slugOf,
    nearTitle: NEAR_TITLE,
    parseQuery: parseQuery,
    bothFilters: bothFilters,
    syntax: loadSyntax,
    nearLimit: 3, // fewer exact matches than this: show the papers matching most words
    rankBudget: RANK_BUDGET, // tests lower it to see the newest-first answer on a small site
  };

  // --- Highlight the matched words on the page a result opened --------------------
  if (new URLSearchParams(window.location.search).has(HIGHLIGHT_PARAM)) {
    var body = document.querySelector("[data-pagefind-body]");
    if (body) {
      import(bundle + "pagefind-highlight.js").then(function (module) {
        new module.default({
          highlightParam: HIGHLIGHT_PARAM,
          markContext: [body],
          addStyles: false,
          markOptions: {
            className: "digest-highlight",
            accuracy: "complementary", // mark whole words: "models", not "model|s"
            // The title is marked too (it is left out of the index only so that
            // excerpts show the abstract); links, citation, related papers and edit line are not.
            exclude: [".digest-links", ".digest-links *", ".digest-cite", ".digest-cite *",
                      ".digest-related", ".digest-related *", ".digest-edit", ".digest-edit *"],
          },
        });
        var first = body.querySelector(".digest-abstract mark.digest-highlight");
        if (first && first.getBoundingClientRect().top > window.innerHeight * 0.8) {
          first.scrollIntoView({ block: "center" });
        }
      }).catch(function () { /* highlighting is a nicety: the page reads fine without */ });
    }
  }

  // A paper page's authors (paper.html) open the search page filtered by each, at the
  // address the search page reads back (search/?author=Ada+Lovelace).
  document.querySelectorAll('.digest-paper a[data-pagefind-filter="author"]')
    .forEach(function (link) {
      link.href = root + "search/?" + new URLSearchParams({ author: link.textContent });
    });

  // --- The header box ---------------------------------------------------------------
  var box = document.querySelector(".digest-search");
  var input = document.getElementById("digest-header-q");
  var toggle = document.getElementById("__search");
  if (!box || !input) return;
  var form = input.form;
  // The result panel (Material's markup, for its look and mobile overlay) and the box's
  // combobox roles, made here rather than carried by every page: without JavaScript
  // the box is a plain form that opens the search page.
  box.querySelector(".md-search__inner").insertAdjacentHTML("beforeend",
    '<div class="md-search__output"><div class="md-search__scrollwrap">' +
    '<div class="md-search-result">' +
    '<div class="md-search-result__meta" id="digest-search-status" role="status">' +
    "Type to search; / or s focuses this box</div>" +
    '<ol class="md-search-result__list" id="digest-search-list" role="listbox" ' +
    'aria-label="Search results"></ol>' +
    '<a class="digest-search__all" data-digest-search-all>Filter and sort on the search ' +
    "page</a></div></div></div>");
  // Phone keyboards: no capitals, corrections or remembered entries, and a search key.
  input.setAttribute("autocapitalize", "off");
  input.setAttribute("autocorrect", "off");
  input.setAttribute("autocomplete", "off");
  input.spellcheck = false;
  input.setAttribute("enterkeyhint", "search");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "digest-search-list");
  input.setAttribute("aria-describedby", "digest-search-status");
  var list = document.getElementById("digest-search-list");
  var status = document.getElementById("digest-search-status");
  var allLink = box.querySelector("[data-digest-search-all]");
  var options = [];
  var active = -1;
  var seq = 0;
  var shownQuery = null;

  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function isOpen() {
    return input.getAttribute("aria-expanded") === "true";
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    input.setAttribute("aria-expanded", "true");
    loadPagefind().catch(function () {
      setStatus("Search could not load. Try the search page.");
    });
  }

  function close() {
    setActive(-1);
    input.setAttribute("aria-expanded", "false");
    if (toggle && toggle.checked) toggle.checked = false;
  }

  function setActive(index) {
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "false");
      options[active].classList.remove("digest-result--active");
    }
    active = index;
    if (active >= 0 && options[active]) {
      var option = options[active];
      option.setAttribute("aria-selected", "true");
      option.classList.add("digest-result--active");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function updateAllLink(query) {
    allLink.href = root + "search/" + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  function clearResults(message) {
    setActive(-1);
    options = [];
    list.replaceChildren();
    list.removeAttribute("data-query");
    shownQuery = null;
    setStatus(message);
  }

  function option(data, index, near) {
    var link = el("a", "md-search-result__link digest-result__option");
    link.href = data.url;
    link.id = "digest-search-option-" + index;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
    var article = resultBody(data, null, null, near);
    article.classList.add("md-search-result__article", "md-typeset");
    link.appendChild(article);
    return link;
  }

  function items(links) {
    return links.map(function (link) {
      var item = el("li", "md-search-result__item");
      item.setAttribute("role", "presentation");
      item.appendChild(link);
      // A listbox holds only options, and an option nothing interactive: the Save toggle
      // sits beside the option for the pointer; from the box, Alt+S saves the active one.
      var reading = window.DigestReading;
      var slug = link.firstChild.dataset.slug;
      if (reading && slug) {
        var holder = el("span", "digest-result__save");
        holder.setAttribute("aria-hidden", "true");
        var button = reading.button(slug, link.querySelector(".digest-result__title").textContent);
        button.tabIndex = -1;
        holder.appendChild(button);
        item.appendChild(holder);
      }
      return item;
    });
  }

  function render(query, how, datas, nearDatas) {
    setActive(-1);
    var exact = datas.map(function (data, index) { return option(data, index, null); });
    var near = (nearDatas || []).map(function (near, index) {
      return option(near.data, datas.length + index, near.matched);
    });
    options = exact.concat(near);
    var rows = items(exact);
    if (near.length) {
      // The near misses form a group of the listbox, named and visibly headed.
      var groupItem = el("li", "digest-search__near");
      groupItem.setAttribute("role", "presentation");
      var heading = el("div", "digest-search__near-title", NEAR_TITLE);
      heading.setAttribute("aria-hidden", "true");
      var group = el("ul", "digest-search__near-list");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", NEAR_TITLE);
      group.replaceChildren.apply(group, items(near));
      groupItem.append(heading, group);
      rows.push(groupItem);
    }
    list.replaceChildren.apply(list, rows);
    shownQuery = query;
    list.setAttribute("data-query", query); // what the list shows (tests and benchmarks wait on it)
    list.setAttribute("data-order", how.newest ? "newest" : "relevance");
    var total = how.matches;
    var papers = numberFormat.format(total) + " papers match";
    var text;
    if (how.unknown && how.unknown.length) text = "Nothing matches " + how.unknown.join(", ");
    else if (total === 0) text = "No paper matches “" + query + "”";
    else if (total === 1) text = "1 paper matches";
    else if (how.newest) {
      text = papers + "; showing the newest " + datas.length + ". Press Enter to rank them all.";
    } else if (total > datas.length) text = papers + "; showing the best " + datas.length;
    else text = papers;
    if (how.leftOut) text += " (the first " + MAX_WORDS + " words; Enter searches all)";
    if (near.length) text += "; " + near.length + (near.length === 1 ? " more matches" : " more match") + " some of your words";
    setStatus(text);
  }

  /** How to search for `words` within RANK_BUDGET: ranked by relevance or, when that
   *  would take too long, the newest matches, from the fewest bands of newest papers that
   *  hold MAX_RESULTS of them. Pagefind counts a query's matches cheaply when a filter
   *  excludes every page: one count for the whole query, one per word for the postings. */
  function plan(pagefind, words, filtered) {
    var query = words.join(" ");
    var counted = [query].concat(words.length > 1 ? words : []);
    return Promise.all(counted.map(function (text) {
      return pagefind.search(text, { filters: COUNT_ONLY });
    })).then(function (counts) {
      var matches = counts[0].unfilteredResultCount;
      var postings = counts.length > 1 ? counts.slice(1).reduce(function (sum, count) {
        return sum + count.unfilteredResultCount;
      }, 0) : matches;
      var ranked = { query: query, matches: matches, options: {}, newest: false };
      // Field filters (author:, topic:, year:) narrow the papers before they are ranked.
      if (filtered || matches * postings <= window.DigestSearch.rankBudget) return ranked;
      // The bands of newest papers, smallest first, until they hold enough matches.
      var bands = (counts[0].totalFilters || {})[RECENT] || {};
      var chosen = [];
      var found = 0;
      Object.keys(bands).sort(function (a, b) { return a - b; }).forEach(function (band) {
        if (found < MAX_RESULTS && bands[band] > 0) {
          chosen.push(band);
          found += bands[band];
        }
      });
      if (!found) return ranked; // none of the newest papers match: rank them all
      var filters = {};
      filters[RECENT] = { any: chosen };
      return { query: query, matches: matches, newest: true,
               options: { filters: filters, sort: { date: "desc" } } };
    });
  }

  /** Search for what the box holds now (runs through latestOnly, one at a time). */
  function runSearch() {
    var query = input.value.trim();
    var parsed = parseQuery(query);
    var all = parsed.units;
    var units = all.slice(0, MAX_WORDS);
    if ((!units.length && !parsed.fields.length) || query === shownQuery) return null;
    var mine = seq;
    var how = null;
    var pagefind = null;
    var fields = null;
    return loadPagefind()
      .then(function (loaded) {
        pagefind = loaded;
        if (!parsed.fields.length) return { filters: null, unknown: [] };
        return loadSyntax().then(function (syntax) { return syntax.fieldFilters(pagefind, parsed); });
      })
      .then(function (found) {
        fields = found;
        if (mine !== seq) return null;
        // Without words (author:Name alone), the field's papers, newest first.
        var planned = units.length ? plan(pagefind, units, !!fields.filters)
          : Promise.resolve({ query: null, matches: -1, options: { sort: { date: "desc" } } });
        return planned.then(function (planned) {
          how = planned;
          how.leftOut = all.length > units.length;
          how.unknown = fields.unknown;
          if (mine !== seq || !how.matches || fields.unknown.length) return null;
          var filters = bothFilters(how.options.filters, fields.filters);
          return pagefind.search(how.query, { filters: filters, sort: how.options.sort })
            .then(function (response) {
              var results = response.results;
              if (fields.filters || parsed.exclude.length || how.matches < 0) {
                how.matches = results.length; // what remains after the fields and exclusions
              }
              if (!parsed.exclude.length) return results;
              return loadSyntax().then(function (syntax) {
                return syntax.excludedIds(pagefind, how.query, parsed.exclude, filters);
              }).then(function (ids) {
                results = results.filter(function (result) { return !ids.has(result.id); });
                how.matches = results.length;
                return results;
              });
            });
        });
      })
      .then(function (results) {
        if (mine !== seq) return null;
        results = results || [];
        if (how && !how.matches) how.matches = 0;
        if (units.length < 2 || results.length >= window.DigestSearch.nearLimit || how.newest ||
            (fields && fields.unknown.length)) return [results, []];
        var seen = new Set(results.map(function (result) { return result.id; }));
        return loadSyntax().then(function (syntax) {
          return syntax.nearMisses(pagefind, units, fields.filters, parsed.exclude, seen,
                                   MAX_RESULTS - Math.min(results.length, MAX_RESULTS),
                                   window.DigestSearch.rankBudget);
        }).then(function (near) { return [results, near]; });
      })
      .then(function (found) {
        if (mine !== seq || !found) return null;
        return settled().then(function () { return mine === seq ? found : null; });
      })
      .then(function (found) {
        if (!found) return null;
        var top = found[0].slice(0, MAX_RESULTS);
        return Promise.all([
          Promise.all(top.map(function (result) { return result.data(); })),
          Promise.all(found[1].map(function (near) {
            return near.result.data().then(function (data) {
              return { data: data, matched: near.matched };
            });
          })),
        ]).then(function (datas) {
          if (mine === seq) render(query, how, datas[0], datas[1]);
        });
      })
      .catch(function () {
        if (mine === seq) clearResults("Search could not load. Try the search page.");
      });
  }
  var scheduleSearch = latestOnly(runSearch, SEARCH_QUIET_MS);

  // When the reader has stopped typing: QUIET_MS after the last key (now, for a paste).
  var settleAt = 0;
  var wake = null;
  /** Resolves at settleAt, or as soon as the box changes again (the search is stale). */
  function settled() {
    return new Promise(function (resolve) {
      var timer = window.setTimeout(done, settleAt - window.performance.now());
      function done() {
        window.clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  function search(now) {
    var query = input.value.trim();
    seq++;
    settleAt = window.performance.now() + (now ? 0 : QUIET_MS);
    if (wake) wake();
    updateAllLink(query);
    if (!query) {
      clearResults("Type to search; / or s focuses this box");
      return;
    }
    var parsed = parseQuery(query);
    var words = parsed.units.slice(0, MAX_WORDS);
    if (!words.length && !parsed.fields.length) {
      clearResults("Keep typing…");
      return;
    }
    if (query === shownQuery) return;
    if (!options.length) setStatus("Searching…");
    var shortWord = query.split(/\s+/).pop().length < SHORT_WORD;
    if (!shortWord && words.length) {
      // Fetch the index for the words so far (and the filter every live search counts
      // with) while the reader is still typing.
      loadPagefind().then(function (pagefind) {
        return pagefind.preload(words.join(" "), { filters: COUNT_ONLY });
      }).catch(function () {});
    }
    scheduleSearch(now ? true : shortWord ? QUIET_MS : SEARCH_QUIET_MS);
  }

  function isTyping(target) {
    return target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if ((event.key === "/" || event.key === "s") && !isTyping(event.target)) {
      event.preventDefault();
      // On the search page its own box is the one to type in.
      var target = document.getElementById("digest-sp-q") || input;
      target.focus();
      target.select();
    }
  });

  input.addEventListener("focus", function () {
    open();
    search(true);
  });
  var typedLength = 0;
  input.addEventListener("input", function () {
    if (!isOpen()) open();
    // A paste (or anything that adds several characters at once) is not typing: no pause.
    var pasted = input.value.length - typedLength > 1;
    typedLength = input.value.length;
    search(pasted);
  });
  input.addEventListener("keydown", function (event) {
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen()) open();
        if (!options.length) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) next = 0;
        if (next < -1) next = options.length - 1;
        setActive(next);
        break;
      case "Enter":
        if (active >= 0 && options[active]) {
          event.preventDefault();
          window.location.assign(options[active].href);
        }
        // otherwise the form opens the search page with ?q=
        break;
      case "s":
      case "S":
        if (!event.altKey || active < 0 || !options[active]) break;
        event.preventDefault();
        var save = options[active].parentNode.querySelector("[data-digest-save]");
        if (save) save.click();
        break;
      case "Escape":
        event.preventDefault();
        if (isOpen()) close();
        else input.blur();
        break;
      case "Tab":
        close();
        break;
    }
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      search();
      input.focus();
    });
  });
  if (toggle) {
    // The header's magnifier (small screens) and the overlay flip the toggle.
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
      else close();
    });
  }
  document.addEventListener("focusin", function (event) {
    if (isOpen() && !box.contains(event.target)) close();
  });
  list.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep focus in the box while the link is followed
  });
  updateAllLink("");
})();
