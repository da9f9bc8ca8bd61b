// The search page: query, facets (topic, tag, year, edition) and sort, kept in the URL
// (?q=...&topic=...&sort=newest) so a search can be shared, bookmarked and restored
// with the back button. Filters work without a query: then the page browses by facet.
// Uses Pagefind's JS API through window.DigestSearch (theme/assets/search.js).
(function () {
  "use strict";
  var api = window.DigestSearch;
  var form = document.getElementById("digest-sp-form");
  if (!api || !form) return;

  var FACETS = [
    { key: "topic", label: "Topic", order: "count", show: 12 },
    { key: "year", label: "Year", order: "value-desc", show: 12 },
    { key: "edition", label: "Edition", order: "value-desc", show: 8, format: api.formatDate },
    { key: "tag", label: "Tag", order: "count", show: 10 },
  ];
  var SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
  var PAGE_SIZE = 20;
  var SHORT_WORD = 4;

  var input = document.getElementById("digest-sp-q");
  var sortSelect = document.getElementById("digest-sp-sort");
  var facetsBox = document.getElementById("digest-sp-facets");
  var groups = document.getElementById("digest-sp-facet-groups");
  var clearButton = document.getElementById("digest-sp-clear");
  var chosenCount = document.getElementById("digest-sp-chosen");
  var status = document.getElementById("digest-sp-status");
  var list = document.getElementById("digest-sp-list");
  var more = document.getElementById("digest-sp-more");
  // Below the exact matches, when they are few: the papers that match most of the words.
  var nearBox = document.createElement("section");
  nearBox.className = "digest-sp__near";
  nearBox.id = "digest-sp-near";
  nearBox.hidden = true;
  nearBox.setAttribute("aria-labelledby", "digest-sp-near-title");
  var nearTitle = document.createElement("h3");
  nearTitle.id = "digest-sp-near-title";
  nearTitle.textContent = api.nearTitle;
  var nearList = document.createElement("ol");
  nearList.className = "digest-sp__list";
  nearList.id = "digest-sp-near-list";
  nearBox.append(nearTitle, nearList);
  more.after(nearBox);
  var NEAR_LIMIT = 10;

  var state = readURL();
  var expanded = {}; // facets whose long value lists the reader opened
  var results = [];
  var shown = 0;
  var seq = 0;
  var typingEntry = false; // the current history entry was made by typing

  // --- State <-> URL ----------------------------------------------------------------
  function emptyFilters() {
    var filters = {};
    FACETS.forEach(function (facet) { filters[facet.key] = []; });
    return filters;
  }

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    var filters = emptyFilters();
    FACETS.forEach(function (facet) {
      params.getAll(facet.key).forEach(function (value) {
        if (value && filters[facet.key].indexOf(value) < 0) filters[facet.key].push(value);
      });
    });
    var sort = params.get("sort") || "";
    var q = params.get("q") || "";
    // ?author=Name (the links on paper pages) is the query author:"Name".
    params.getAll("author").forEach(function (name) {
      if (name) q = (q ? q + " " : "") + 'author:"' + name.replace(/"/g, "") + '"';
    });
    return { q: q, sort: SORTS[sort] ? sort : "", filters: filters };
  }

  function stateURL() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (facet) {
      state.filters[facet.key].forEach(function (value) { params.append(facet.key, value); });
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function saveState(typing) {
    var url = stateURL();
    if (url === window.location.pathname + window.location.search) return;
    if (typing && typingEntry) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
    typingEntry = typing;
  }

  function hasFilters(filters) {
    return FACETS.some(function (facet) { return filters[facet.key].length > 0; });
  }

  /** Pagefind's filter object: any of the values within a facet, all facets at once. */
  function pagefindFilters(filters, except) {
    var out = {};
    FACETS.forEach(function (facet) {
      if (facet.key !== except && filters[facet.key].length) {
        out[facet.key] = { any: filters[facet.key].slice() };
      }
    });
    return out;
  }

  // --- Searching --------------------------------------------------------------------
  function run() {
    var mine = ++seq;
    var parsed = api.parseQuery(state.q);
    var term = parsed.units.join(" ") || null;
    var typed = !!(term || parsed.fields.length || parsed.exclude.length);
    if (state.q.trim() && !typed) {
      status.textContent = "Keep typing…";
      return null;
    }
    var sortKey = state.sort || (term ? "" : "newest");
    var sort = SORTS[sortKey];
    if (!status.textContent) status.textContent = "Loading search…";
    var pagefind = null;
    var syntax = null;
    var allCounts = null;
    return Promise.all([api.load(), api.syntax()]).then(function (loaded) {
      pagefind = loaded[0];
      syntax = loaded[1];
      // Pagefind counts a facet only once its filter index is loaded: load them all first.
      return pagefind.filters();
    }).then(function (all) {
      allCounts = all;
      return syntax.fieldFilters(pagefind, parsed);
    }).then(function (fields) {
      var extra = fields.filters;
      var options = { filters: api.bothFilters(pagefindFilters(state.filters), extra) };
      if (sort) options.sort = sort;
      var main = pagefind.search(term, options).then(function (response) {
        if (!parsed.exclude.length) return response;
        return syntax.excludedIds(pagefind, term, parsed.exclude, options.filters).then(function (ids) {
          response.results = response.results.filter(function (r) { return !ids.has(r.id); });
          return response;
        });
      });
      // Counts for a facet with a selection come from a search without that facet,
      // so its other values show how many papers choosing them would add.
      var counts = FACETS.map(function (facet) {
        if (!state.filters[facet.key].length) return null;
        var others = api.bothFilters(pagefindFilters(state.filters, facet.key), extra);
        return term || Object.keys(others).length
          ? pagefind.search(term, { filters: others }).then(function (r) { return r.filters; })
          : Promise.resolve(allCounts);
      });
      return Promise.all([main].concat(counts)).then(function (answers) {
        if (mine !== seq) return null;
        var found = answers[0].results;
        if (parsed.units.length < 2 || found.length >= api.nearLimit || fields.unknown.length) {
          return [answers, [], fields];
        }
        var seen = new Set(found.map(function (r) { return r.id; }));
        return syntax.nearMisses(pagefind, parsed.units, options.filters, parsed.exclude, seen,
                              NEAR_LIMIT, Infinity)
          .then(function (near) { return [answers, near, fields]; });
      });
    }).then(function (done) {
      if (!done || mine !== seq) return null;
      var answers = done[0];
      var near = done[1];
      var unknown = done[2].unknown;
      return Promise.all(near.map(function (n) { return n.result.data(); })).then(function (datas) {
        if (mine !== seq) return;
        var response = answers[0];
        var facetCounts = {};
        FACETS.forEach(function (facet, index) {
          var source = answers[index + 1] || response.filters || {};
          facetCounts[facet.key] = source[facet.key] || {};
        });
        results = response.results;
        shown = 0;
        list.replaceChildren();
        renderFacets(facetCounts);
        nearList.replaceChildren.apply(nearList, datas.map(function (data, index) {
          var item = document.createElement("li");
          item.className = "digest-sp__item";
          var body = api.resultBody(data, "h4", data.url, near[index].matched);
          var note = document.createElement("p");
          note.className = "digest-result__near-words";
          note.textContent = syntax.matchedNote(parsed.units, near[index].matched);
          body.appendChild(note);
          item.appendChild(body);
          return item;
        }));
        nearBox.hidden = !datas.length;
        return showMore(mine).then(function () {
          if (mine !== seq) return;
          renderStatus(state.q.trim(), sortKey, datas.length, unknown);
          list.setAttribute("data-shows", stateURL()); // the state on screen, for tests
        });
      });
    }).catch(function (error) {
      if (mine !== seq) return;
      status.textContent = "Search could not load: " + (error && error.message || error);
    });
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(batch.map(function (result) { return result.data(); }))
      .then(function (datas) {
        if (mine !== seq) return;
        datas.forEach(function (data) {
          var item = document.createElement("li");
          item.className = "digest-sp__item";
          item.appendChild(api.resultBody(data, "h3", data.url));
          list.appendChild(item);
        });
        shown += datas.length;
        more.hidden = shown >= results.length;
      });
  }

  function renderStatus(term, sortKey, nearCount, unknown) {
    var n = results.length;
    var papers = n === 1 ? "1 paper" : n + " papers";
    var order = sortKey === "newest" ? ", newest first" : sortKey === "oldest" ? ", oldest first" : "";
    var text;
    var filtered = hasFilters(state.filters) ? " with these filters" : "";
    if (term) {
      text = n ? papers + (n === 1 ? " matches “" : " match “") + term + "”" + filtered + order
               : "No paper matches “" + term + "”" + filtered;
    } else if (hasFilters(state.filters)) {
      text = n ? papers + " with these filters" + order : "No paper has all these filters";
    } else {
      text = "All " + papers + order + ". Type to search, or choose a filter.";
    }
    if (unknown.length) text = "Nothing matches " + unknown.join(", ") + filtered;
    if (nearCount) text += "; " + nearCount + (nearCount === 1 ? " more matches" : " more match") + " some of your words";
    status.textContent = text;
  }

  // --- Facets -----------------------------------------------------------------------
  function sortedValues(facet, counts) {
    var values = Object.keys(counts);
    state.filters[facet.key].forEach(function (value) {
      if (values.indexOf(value) < 0) values.push(value); // keep chosen values visible
    });
    values.sort(function (a, b) {
      if (facet.order === "value-desc") return a < b ? 1 : a > b ? -1 : 0;
      var diff = (counts[b] || 0) - (counts[a] || 0);
      return diff || a.localeCompare(b);
    });
    return values;
  }

  function renderFacets(facetCounts) {
    var fragment = document.createDocumentFragment();
    var any = false;
    FACETS.forEach(function (facet) {
      var counts = facetCounts[facet.key];
      var values = sortedValues(facet, counts);
      if (!values.length) return;
      any = true;
      var chosen = state.filters[facet.key];
      var fieldset = document.createElement("fieldset");
      fieldset.className = "digest-facet";
      var legend = document.createElement("legend");
      legend.textContent = facet.label + (chosen.length ? " (" + chosen.length + " chosen)" : "");
      fieldset.appendChild(legend);
      var ul = document.createElement("ul");
      ul.className = "digest-facet__values";
      var limit = expanded[facet.key] ? values.length : facet.show;
      values.forEach(function (value, index) {
        var on = chosen.indexOf(value) >= 0;
        if (index >= limit && !on) return;
        var li = document.createElement("li");
        var label = document.createElement("label");
        label.className = "digest-facet__value";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = facet.key;
        box.value = value;
        box.checked = on;
        label.appendChild(box);
        var name = document.createElement("span");
        name.className = "digest-facet__name";
        name.textContent = facet.format ? facet.format(value) : value;
        label.appendChild(name);
        var count = document.createElement("span");
        count.className = "digest-facet__count";
        count.textContent = String(counts[value] || 0);
        label.appendChild(count);
        li.appendChild(label);
        ul.appendChild(li);
      });
      fieldset.appendChild(ul);
      if (values.length > facet.show) {
        var toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "digest-facet__toggle";
        toggle.dataset.facet = facet.key;
        toggle.setAttribute("aria-expanded", expanded[facet.key] ? "true" : "false");
        toggle.textContent = expanded[facet.key]
          ? "Show fewer"
          : "Show all " + values.length + " " + facet.label.toLowerCase() + "s";
        fieldset.appendChild(toggle);
      }
      fragment.appendChild(fieldset);
    });
    // Keep keyboard focus on the same control across the re-render.
    var focused = document.activeElement;
    var focusKey = focused && groups.contains(focused)
      ? (focused.name ? focused.name + "\u0000" + focused.value : "toggle\u0000" + focused.dataset.facet)
      : null;
    groups.replaceChildren(fragment);
    if (focusKey) {
      var parts = focusKey.split("\u0000");
      var target = parts[0] === "toggle"
        ? groups.querySelector('button[data-facet="' + CSS.escape(parts[1]) + '"]')
        : groups.querySelector('input[name="' + CSS.escape(parts[0]) + '"][value="' +
                               CSS.escape(parts[1]) + '"]');
      if (target) target.focus();
    }
    facetsBox.hidden = !any;
    clearButton.hidden = !hasFilters(state.filters);
    var n = FACETS.reduce(function (sum, facet) { return sum + state.filters[facet.key].length; }, 0);
    chosenCount.textContent = n ? " (" + n + " chosen)" : "";
  }

  // --- Events -----------------------------------------------------------------------
  function syncControls() {
    if (input.value !== state.q) input.value = state.q;
    sortSelect.value = state.sort;
  }

  // Typing waits for a pause; one search (with its facet counts) runs at a time.
  var schedule = api.latestOnly(run, 120);

  input.addEventListener("input", function () {
    state.q = input.value;
    saveState(true);
    // Wait for a longer pause while the last word is short: Pagefind matches it as a
    // prefix, and a short prefix matches many words, so it is slow to rank on a big site.
    var short = state.q.trim().split(/\s+/).pop().length < SHORT_WORD;
    schedule(short ? 400 : 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value;
    saveState(false);
    schedule(true);
  });
  sortSelect.addEventListener("change", function () {
    state.sort = SORTS[sortSelect.value] ? sortSelect.value : "";
    saveState(false);
    schedule(true);
  });
  groups.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") return;
    var values = state.filters[box.name];
    if (!values) return;
    var at = values.indexOf(box.value);
    if (box.checked && at < 0) values.push(box.value);
    if (!box.checked && at >= 0) values.splice(at, 1);
    saveState(false);
    schedule(true);
  });
  groups.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-facet]");
    if (!button) return;
    expanded[button.dataset.facet] = !expanded[button.dataset.facet];
    schedule(true);
  });
  clearButton.addEventListener("click", function () {
    state.filters = emptyFilters();
    saveState(false);
    schedule(true);
    input.focus();
  });
  more.addEventListener("click", function () {
    var before = shown;
    showMore(seq).then(function () {
      var next = list.children[before];
      var link = next && next.querySelector("a");
      if (link) link.focus();
    });
  });
  window.addEventListener("popstate", function () {
    state = readURL();
    typingEntry = false;
    syncControls();
    schedule(true);
  });

  // On narrow screens the filters start folded, so the results come first.
  if (window.matchMedia("(max-width: 44.9375em)").matches) facetsBox.open = false;
  syncControls();
  // An address in another form (?author=Name) is rewritten to the one this page keeps.
  if (stateURL() !== window.location.pathname + window.location.search) {
    window.history.replaceState(null, "", stateURL());
  }
  if (!state.q) input.focus();
  schedule(true);
})();
