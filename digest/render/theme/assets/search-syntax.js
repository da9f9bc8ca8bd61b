// The query syntax's searches, imported by search.js only for a query that needs them
// (author:, topic:, year:, -word, or near misses when every word finds fewer than three
// papers) and always on the search page: plain queries in the header box fetch none of
// this. Each function takes the Pagefind instance search.js loaded.

var NONE = "\u0000"; // no paper has this filter value
var COUNT_ONLY = { recent: NONE }; // Pagefind counts the matches and ranks none

function normalize(text) {
  return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** The filter values a field:value term means. Authors: the exact name, else every
 *  name holding its words ("author:Li" finds "Bo Li", not "Lisa"). Topics: the slug of
 *  a topic's page or its title, else titles starting words with its words. */
function matchValues(key, wanted, values) {
  var target = normalize(wanted);
  if (key === "year") return [wanted];
  var exact = values.filter(function (value) {
    return normalize(value) === target ||
      (key === "topic" && normalize(value).replace(/ /g, "-") === wanted.toLowerCase());
  });
  if (exact.length) return exact;
  var parts = target.split(" ");
  return values.filter(function (value) {
    var words = normalize(value).split(" ");
    return parts.every(function (part) {
      return words.some(function (word) {
        return key === "topic" ? word.indexOf(part) === 0 : word === part;
      });
    });
  });
}

/** Pagefind filters for the query's field terms (null when it has none), and the terms
 *  that match no paper. Each field's values come from a search that loads only that
 *  field's filter index: the author index is not fetched for a query without author:. */
export function fieldFilters(pagefind, parsed) {
  if (!parsed.fields.length) return Promise.resolve({ filters: null, unknown: [] });
  var keys = {};
  parsed.fields.forEach(function (field) { keys[field.key] = true; });
  return Promise.all(Object.keys(keys).map(function (key) {
    if (key === "year") return Promise.resolve([key, []]);
    var probe = {};
    probe[key] = NONE;
    return pagefind.search(null, { filters: probe }).then(function (response) {
      return [key, Object.keys((response.totalFilters || {})[key] || {})];
    });
  })).then(function (lists) {
    var values = {};
    lists.forEach(function (pair) { values[pair[0]] = pair[1]; });
    var unknown = [];
    var clauses = parsed.fields.map(function (field) {
      var found = matchValues(field.key, field.value, values[field.key]);
      if (!found.length) unknown.push(field.key + ":" + field.value);
      var clause = {};
      clause[field.key] = { any: found.length ? found : [NONE] };
      return clause;
    });
    return { filters: { all: clauses }, unknown: unknown };
  });
}

  /** The ids of the papers among `term`'s matches that hold an excluded word or phrase:
 *  each is searched together with the term, so it ranks no more papers than the term. */
export function excludedIds(pagefind, term, exclude, filters) {
  return Promise.all(exclude.map(function (unit) {
    return pagefind.search(term ? term + " " + unit : unit, { filters: filters || {} });
  })).then(function (responses) {
    var ids = new Set();
    responses.forEach(function (response) {
      response.results.forEach(function (result) { ids.add(result.id); });
    });
    return ids;
  });
}

/** Papers that hold most of the units but not all: every subset of the units, the
 *  largest first (down to half of them), until `limit` papers are found. Each subset's
 *  matches are counted first, and ranked only while the total cost (matches x postings,
 *  as in RANK_BUDGET) stays within `budget`. Returns [{result, matched: [units]}]. */
export function nearMisses(pagefind, units, filters, exclude, seen, limit, budget) {
  var subsets = [];
  for (var size = units.length - 1; size >= Math.max(1, Math.ceil(units.length / 2)); size--) {
    combinations(units, size).forEach(function (subset) { subsets.push(subset); });
  }
  var found = [];
  var spent = 0;
  var postings = {};
  return Promise.all(units.map(function (unit) {
    return pagefind.search(unit, { filters: COUNT_ONLY }).then(function (r) {
      postings[unit] = r.unfilteredResultCount;
    });
  })).then(function () {
    return subsets.reduce(function (chain, subset) {
      return chain.then(function () {
        if (found.length >= limit) return null;
        var term = subset.join(" ");
        return pagefind.search(term, { filters: COUNT_ONLY }).then(function (count) {
          var cost = count.unfilteredResultCount * subset.reduce(function (sum, unit) {
            return sum + postings[unit];
          }, 0);
          if (!count.unfilteredResultCount || spent + cost > budget) return null;
          spent += cost;
          return Promise.all([
            pagefind.search(term, { filters: filters || {} }),
            exclude.length ? excludedIds(pagefind, term, exclude, filters) : new Set(),
          ]).then(function (answers) {
            answers[0].results.forEach(function (result) {
              if (found.length < limit && !seen.has(result.id) && !answers[1].has(result.id)) {
                seen.add(result.id);
                found.push({ result: result, matched: subset });
              }
            });
          });
        });
      });
    }, Promise.resolve());
  }).then(function () { return found; });
}

function combinations(items, size) {
  if (!size) return [[]];
  var out = [];
  for (var i = 0; i + size <= items.length; i++) {
    combinations(items.slice(i + 1), size - 1).forEach(function (rest) {
      out.push([items[i]].concat(rest));
    });
  }
  return out;
}

/** "Matches: monte carlo tree (not: search)": which of the reader's words a near miss holds. */
export function matchedNote(units, matched) {
  var missing = units.filter(function (unit) { return matched.indexOf(unit) < 0; });
  return "Some of your words: has " + matched.join(" ") + "; lacks " + missing.join(" ");
}
