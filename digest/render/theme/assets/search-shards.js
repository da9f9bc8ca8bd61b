// Search over the index's shards (digest/render/search_index.py) as over one index: imported
// by search.js only for a site of more than one shard (over 12,500 papers).

/** Facet counts of several shards, summed. */
function sumCounts(list) {
  var summed = {};
  list.forEach(function (counts) {
    Object.keys(counts || {}).forEach(function (facet) {
      var into = summed[facet] || (summed[facet] = {});
      Object.keys(counts[facet]).forEach(function (value) {
        into[value] = (into[value] || 0) + counts[facet][value];
      });
    });
  });
  return summed;
}

/** One search over every shard, answering as one index. Pagefind's mergeIndex orders
 *  results by score even for a sort; the shards are runs of dates, oldest first, so a
 *  date sort is the shards' sorted results one after another (newest shard first for
 *  "desc"). Otherwise by score (stable: ties keep shard order). Counts are summed. */
export function merged(shards) {
  return {
    search: function (term, options) {
      return Promise.all(shards.map(function (shard) { return shard.search(term, options); }))
        .then(function (responses) {
          var sort = options && options.sort;
          var key = sort && Object.keys(sort)[0];
          var ordered = key && sort[key] === "desc" ? responses.slice().reverse() : responses;
          var results = [].concat.apply([], ordered.map(function (r) { return r.results; }));
          if (!key) results.sort(function (a, b) { return b.score - a.score; });
          return {
            results: results,
            unfilteredResultCount: responses.reduce(function (sum, r) {
              return sum + r.unfilteredResultCount;
            }, 0),
            filters: sumCounts(responses.map(function (r) { return r.filters; })),
            totalFilters: sumCounts(responses.map(function (r) { return r.totalFilters; })),
          };
        });
    },
    filters: function () {
      return Promise.all(shards.map(function (shard) { return shard.filters(); })).then(sumCounts);
    },
    preload: function (term, options) {
      return Promise.all(shards.map(function (shard) { return shard.preload(term, options); }));
    },
  };
}
