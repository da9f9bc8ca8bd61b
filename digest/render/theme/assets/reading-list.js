// The reading list itself: Save toggles, the Saved page (export as BibTeX, RIS, CSL-JSON and JSON,
// import of a JSON export, read-mark settings) and the keyboard help. Loaded by the hook
// (reading.js) on the Saved page or when first needed; all data stays in this browser.
// Paper data comes from papers.json.gz, papers.bib and papers.csl.json.gz, on this site, fetched
// on demand (the CSL-JSON export takes its abstracts from papers.json.gz).
(function () {
  "use strict";
  var api = window.DigestReading;
  if (!api) return;
  var root = api.root;
  var FORMAT = "paper-digest-reading-list";
  var dateFormat = new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatDate(iso) {
    var date = new Date(iso + "T00:00:00Z");
    return isNaN(date) ? iso : dateFormat.format(date);
  }

  // --- Announcements ----------------------------------------------------------------
  var live = el("div", "digest-visually-hidden");
  live.id = "digest-reading-status";
  live.setAttribute("role", "status");
  document.body.appendChild(live);
  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 60); // a fresh region needs a beat
  }

  // --- Saving -----------------------------------------------------------------------
  /** What a button's paper shows on this page: its title and (if shown) date. */
  function describe(button) {
    var box = button.closest("[data-digest-item], [data-digest-paper], .digest-result") || document;
    var title = box.querySelector(":scope > a, .digest-item__title, .digest-result__title, h1");
    // A paper page shows two dates: the one saved is the edition's (in the link to its
    // edition: paper.html), as listings show.
    var time = box.querySelector(".digest-meta a time") || box.querySelector("time[datetime]");
    return {
      title: title ? title.textContent.trim() : button.dataset.digestSave,
      date: time ? time.getAttribute("datetime") : "",
    };
  }

  function toggle(button) {
    var slug = button.dataset.digestSave;
    var about = describe(button);
    var saving = !api.isSaved(slug);
    api.update(function (state) {
      if (saving) state.saved[slug] = { at: new Date().toISOString(), title: about.title, date: about.date };
      else delete state.saved[slug];
    });
    document.querySelectorAll("[data-digest-save]").forEach(function (other) {
      if (other.dataset.digestSave === slug) api.show(other, saving);
    });
    // The toggle just pressed reads "Saved" until the pointer or focus leaves it; only
    // then does it offer "Remove" (digest.css).
    button.setAttribute("data-fresh", "");
    function settle() {
      button.removeAttribute("data-fresh");
      button.removeEventListener("pointerleave", settle);
      button.removeEventListener("blur", settle);
    }
    button.addEventListener("pointerleave", settle);
    button.addEventListener("blur", settle);
    announce(saving ? "Saved “" + about.title + "” to your reading list"
                    : "Removed “" + about.title + "” from your reading list");
  }

  // --- Keyboard help ----------------------------------------------------------------
  var dialog = null;
  var KEYS = [
    ["j", "next paper in a list"], ["k", "previous paper in a list"],
    ["s", "save or unsave the paper in focus (elsewhere: search)"], ["/", "search"],
    ["Alt+S", "in the header search results: save the highlighted paper"],
    ["?", "this help"], ["Esc", "close"],
  ];
  function help() {
    if (!dialog) {
      dialog = el("dialog", "digest-help");
      dialog.setAttribute("aria-labelledby", "digest-help-title");
      var heading = el("h2", "", "Keyboard shortcuts");
      heading.id = "digest-help-title";
      var list = el("dl", "digest-help__keys");
      KEYS.forEach(function (pair) {
        var term = el("dt");
        term.appendChild(el("kbd", "", pair[0]));
        list.append(term, el("dd", "", pair[1]));
      });
      var close = el("button", "digest-help__close", "Close");
      close.type = "button";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.append(heading, list, close);
      document.body.appendChild(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  // --- Data for the Saved page and exports -------------------------------------------
  var DATA = "papers.json.gz"; // digest/site/export.py DATA_PATH
  var data = null;

  /** The JSON document of a gzip file's response. Static hosts (GitHub Pages) send the
   *  file's own bytes, which start with gzip's magic number; a server that sends it with
   *  Content-Encoding: gzip has the browser hand over the JSON already decompressed. */
  function gunzipJson(response) {
    return response.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
      if (typeof DecompressionStream === "undefined") {
        throw new Error("this browser cannot decompress gzip; try a current browser");
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text();
    }).then(JSON.parse);
  }

  function papers() {
    if (!data) {
      data = fetch(root + DATA).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return gunzipJson(response);
      }).catch(function (error) {
        throw new Error(DATA + ": " + error.message);
      }).then(function (json) {
        var bySlug = {};
        (json.papers || []).forEach(function (paper) { bySlug[paper.slug] = paper; });
        var topics = {};
        (json.topics || []).forEach(function (topic) { topics[topic.slug] = topic.title; });
        return { site: json.site || {}, bySlug: bySlug, topics: topics };
      });
      data.catch(function () { data = null; });
    }
    return data;
  }

  /** The saved papers, newest saved first: [{slug, at, title, date, paper (or null)}]. */
  function savedList(known) {
    return Object.keys(api.state.saved).map(function (slug) {
      var entry = api.state.saved[slug] || {};
      return { slug: slug, at: String(entry.at || ""), title: String(entry.title || slug),
               date: String(entry.date || ""), paper: known.bySlug[slug] || null };
    }).sort(function (a, b) {
      return a.at < b.at ? 1 : a.at > b.at ? -1 : a.slug < b.slug ? -1 : 1;
    });
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function bibtex(items) {
    return fetch(root + "papers.bib").then(function (response) {
      if (!response.ok) throw new Error("papers.bib: HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      var entries = {};
      text.split(/\n(?=@)/).forEach(function (entry) {
        var key = /^@\w+\{([^,\s]+),/.exec(entry.trim());
        if (key) entries[key[1]] = entry.trim() + "\n";
      });
      return items.map(function (item) { return entries[item.paper.bibtex_key]; })
        .filter(Boolean).join("\n");
    });
  }

  // RIS types of BibTeX's entry types; a preprint (misc with an arXiv id) is RIS's UNPB.
  var RIS_TYPES = {
    article: "JOUR", inproceedings: "CPAPER", conference: "CPAPER", incollection: "CHAP",
    inbook: "CHAP", book: "BOOK", proceedings: "CONF", phdthesis: "THES",
    mastersthesis: "THES", thesis: "THES", techreport: "RPRT", manual: "RPRT",
    unpublished: "UNPB", online: "ELEC", booklet: "PAMP",
  };

  /** RIS records, dated by the version cited (papers.json.gz's citation), not the edition. */
  function ris(items) {
    return items.map(function (item) {
      var p = item.paper;
      var c = p.citation || {};
      var type = RIS_TYPES[c.type] || (p.arxiv ? "UNPB" : "GEN");
      var lines = [["TY", type], ["TI", p.title]];
      (p.authors || []).forEach(function (author) { lines.push(["AU", author]); });
      var issued = String(c.issued || p.date || "");
      lines.push(["PY", String(c.year || issued.slice(0, 4))]);
      if (issued.length > 4) lines.push(["DA", issued.split("-").join("/")]);
      if (c.journal) lines.push(["JO", c.journal], ["T2", c.journal]);
      else if (c.booktitle) lines.push(["T2", c.booktitle]);
      else if (p.venue) lines.push(["T2", p.venue]);
      if (c.volume) lines.push(["VL", c.volume]);
      if (c.number) lines.push(["IS", c.number]);
      if (c.pages) {
        var range = String(c.pages).split("--");
        lines.push(["SP", range[0]]);
        if (range[1]) lines.push(["EP", range[1]]);
      }
      if (c.publisher) lines.push(["PB", c.publisher]);
      if (p.abstract) lines.push(["AB", p.abstract]);
      (p.tags || []).forEach(function (tag) { lines.push(["KW", tag]); });
      if (p.doi) lines.push(["DO", p.doi]);
      if (p.arxiv) lines.push(["N1", "arXiv:" + p.arxiv]);
      lines.push(["UR", c.url || p.arxiv_url || p.url]);
      if (p.pdf_url) lines.push(["L1", p.pdf_url]);
      lines.push(["ER", ""]);
      return lines.map(function (line) {
        return line[0] + "  - " + String(line[1]).replace(/\s+/g, " ").trim();
      }).join("\r\n");
    }).join("\r\n") + "\r\n";
  }

  /** CSL-JSON (Zotero, Pandoc, citeproc): the saved papers' items of papers.csl.json.gz,
   *  each given its abstract from papers.json.gz (the CSL file leaves them out: csl.py). */
  var CSL = "papers.csl.json.gz"; // digest/site/csl.py CSL_PATH
  function csl(items) {
    return fetch(root + CSL).then(function (response) {
      if (!response.ok) throw new Error(CSL + ": HTTP " + response.status);
      return gunzipJson(response);
    }).then(function (all) {
      var byId = {};
      all.forEach(function (entry) { byId[entry.id] = entry; });
      var chosen = [];
      items.forEach(function (item) {
        var entry = byId[item.paper.bibtex_key];
        if (!entry) return;
        if (item.paper.abstract) entry.abstract = item.paper.abstract;
        chosen.push(entry);
      });
      return JSON.stringify(chosen, null, 2) + "\n";
    });
  }

  function jsonExport(items, known) {
    return JSON.stringify({
      format: FORMAT, version: 1, site: known.site.url || "",
      papers: items.map(function (item) {
        var p = item.paper || {};
        return { slug: item.slug, saved_at: item.at, title: p.title || item.title,
                 date: p.date || item.date, url: p.url || null, authors: p.authors || [],
                 topics: p.topics || [], arxiv: p.arxiv || null,
                 in_digest: !!item.paper };
      }),
      read: Object.keys(api.state.read).sort(),
    }, null, 2) + "\n";
  }

  /** Merge a JSON export into this browser's list; returns what it added. */
  function importText(text) {
    var json;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error("This file is not JSON. Choose a file made with “Export JSON”.");
    }
    if (!json || json.format !== FORMAT || !Array.isArray(json.papers)) {
      throw new Error("This file is not a reading-list export. Choose a file made with “Export JSON”.");
    }
    var slug = /^[a-z0-9][a-z0-9-]*$/;
    var added = 0;
    var known = 0;
    api.update(function (state) {
      json.papers.forEach(function (paper) {
        if (!paper || typeof paper.slug !== "string" || !slug.test(paper.slug)) return;
        if (state.saved[paper.slug]) {
          known++;
          return;
        }
        state.saved[paper.slug] = { at: String(paper.saved_at || ""),
                                    title: String(paper.title || paper.slug),
                                    date: String(paper.date || "") };
        added++;
      });
      (Array.isArray(json.read) ? json.read : []).forEach(function (read) {
        if (typeof read === "string" && slug.test(read)) state.read[read] = 1;
      });
    });
    return { added: added, known: known };
  }

  // --- The Saved page ---------------------------------------------------------------
  var page = document.getElementById("digest-saved");

  function item(entry, known) {
    var li = el("li", "digest-item digest-saved__item");
    li.dataset.digestItem = entry.slug;
    var p = entry.paper;
    var title = el(p ? "a" : "span", "digest-item__title", p ? p.title : entry.title);
    if (p) title.href = root + "papers/" + entry.slug + "/";
    li.appendChild(title);
    var meta = el("div", "digest-item__meta");
    var parts = [];
    if (p && p.authors && p.authors.length) parts.push(document.createTextNode(p.authors.join(", ")));
    var date = p ? p.date : entry.date;
    if (date) {
      var time = el("time", "", formatDate(date));
      time.setAttribute("datetime", date);
      parts.push(time);
    }
    if (p) {
      (p.topics || []).forEach(function (slug) {
        var link = el("a", "", known.topics[slug] || slug);
        link.href = root + "topics/" + slug + "/";
        parts.push(link);
      });
    } else {
      parts.push(el("span", "digest-saved__gone", "no longer in the digest"));
    }
    parts.forEach(function (part, index) {
      if (index) meta.append(" · ");
      meta.appendChild(part);
    });
    li.appendChild(meta);
    li.appendChild(api.button(entry.slug, p ? p.title : entry.title));
    return li;
  }

  function renderSaved() {
    var list = document.getElementById("digest-saved-list");
    var status = document.getElementById("digest-saved-status");
    return papers().then(function (known) {
      var items = savedList(known);
      list.replaceChildren.apply(list, items.map(function (entry) { return item(entry, known); }));
      api.mark(list);
      var gone = items.filter(function (entry) { return !entry.paper; }).length;
      status.textContent = items.length
        ? items.length + (items.length === 1 ? " saved paper" : " saved papers") +
          (gone ? " (" + gone + " no longer in the digest)" : "")
        : "No saved papers yet. Use “Save” on a paper, in a list or in search results.";
      page.querySelectorAll("[data-export]").forEach(function (button) {
        button.disabled = !items.length;
      });
      list.setAttribute("data-shown", String(items.length)); // drawn (tests wait on it)
      return items;
    }).catch(function (error) {
      status.textContent = "The list of papers could not load (" + error.message + ").";
    });
  }

  function exportAs(kind) {
    var message = document.getElementById("digest-saved-message");
    return papers().then(function (known) {
      var items = savedList(known);
      var present = items.filter(function (entry) { return entry.paper; });
      var left = items.length - present.length;
      var note = left ? "; " + left + " no longer in the digest left out" : "";
      if (kind === "json") {
        download("reading-list.json", "application/json", jsonExport(items, known));
        message.textContent = "Exported " + items.length + " papers as JSON.";
        return null;
      }
      if (kind === "ris") {
        download("reading-list.ris", "application/x-research-info-systems", ris(present));
        message.textContent = "Exported " + present.length + " papers as RIS" + note + ".";
        return null;
      }
      if (kind === "csl") {
        return csl(present).then(function (text) {
          download("reading-list.csl.json", "application/vnd.citationstyles.csl+json", text);
          message.textContent = "Exported " + present.length + " papers as CSL-JSON" + note + ".";
        });
      }
      return bibtex(present).then(function (text) {
        download("reading-list.bib", "application/x-bibtex", text);
        message.textContent = "Exported " + present.length + " papers as BibTeX" + note + ".";
      });
    }).catch(function (error) {
      message.textContent = "Export failed: " + error.message;
    });
  }

  if (page) {
    var markRead = document.getElementById("digest-saved-markread");
    var message = document.getElementById("digest-saved-message");
    markRead.checked = api.state.markRead;
    markRead.addEventListener("change", function () {
      api.update(function (state) { state.markRead = markRead.checked; });
      api.mark();
      message.textContent = markRead.checked ? "Papers you open will be marked as read."
                                             : "Read marks are off.";
    });
    document.getElementById("digest-saved-clear").addEventListener("click", function () {
      api.update(function (state) { state.read = {}; });
      api.mark();
      message.textContent = "Read marks cleared.";
    });
    page.querySelectorAll("[data-export]").forEach(function (button) {
      button.addEventListener("click", function () { exportAs(button.dataset.export); });
    });
    var file = document.getElementById("digest-saved-import");
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      chosen.text().then(function (text) {
        var result = importText(text);
        message.textContent = "Imported " + result.added + (result.added === 1 ? " paper" : " papers") +
          (result.known ? " (" + result.known + " already saved)" : "") + ".";
        return renderSaved();
      }).catch(function (error) {
        message.textContent = error.message;
      }).then(function () { file.value = ""; });
    });
    page.querySelectorAll("[data-reading-js]").forEach(function (node) { node.hidden = false; });
    renderSaved();
  }

  window.DigestReadingList = { toggle: toggle, help: help, render: renderSaved };
})();
