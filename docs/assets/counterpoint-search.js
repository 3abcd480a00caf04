/* Counterpoint's search: the field in the header (overrides/partials/search.html) over Pagefind's
 * index (pagefind/, written by the build from the corpus: counterpoint/search_index.py).
 *
 * - Nothing of the index loads until the reader opens the search (focus, "/", "s", a click);
 *   then Pagefind loads only the chunks of the words typed and the excerpts of the results shown.
 * - Results come as the reader types; each leads to its paragraph, voice, note or question, with
 *   the words in ?h=, which this script marks on arrival.
 * - Filters by voice, text, question and stance, with counts, alone or with words; the search page
 *   (search/?stance=…) opens the search with the filters its address names.
 * - The keyboard alone: / or s opens, the arrow keys go through the results, Escape closes. The
 *   number of results is announced (role=status).
 * Everything is built as DOM nodes from text: nothing of the index becomes markup.
 */
(function () {
  "use strict";

  var FILTERS = [
    ["voice", "Voice", "voices"],
    ["text", "Text", "texts"],
    ["question", "Question", "questions"],
    ["stance", "Stance", "stances"],
  ];
  var PAGE_SIZE = 10;
  var FACET_SHOWN = 6;

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (error) {
      /* keep "." */
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  /* --- On arrival: mark the words the result carried (?h=) ------------------------------------ */

  var WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’-]*/gu;

  function markWords(scope, words) {
    var wanted = words.map(function (w) { return w.toLocaleLowerCase(); }).filter(Boolean);
    if (!wanted.length || !scope) return 0;
    function matches(token) {
      var lower = token.toLocaleLowerCase();
      return wanted.some(function (w) { return lower === w || (w.length >= 3 && lower.indexOf(w) === 0); });
    }
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest("script, style, mark.cp-found, [data-cp-search]")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var count = 0;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var pieces = [];
      var last = 0;
      text.replace(WORD, function (token, offset) {
        if (matches(token)) {
          pieces.push([offset, offset + token.length]);
        }
        return token;
      });
      if (!pieces.length) return;
      var fragment = document.createDocumentFragment();
      pieces.forEach(function (piece) {
        fragment.appendChild(document.createTextNode(text.slice(last, piece[0])));
        var mark = document.createElement("mark");
        mark.className = "cp-found";
        mark.textContent = text.slice(piece[0], piece[1]);
        fragment.appendChild(mark);
        last = piece[1];
        count += 1;
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
    return count;
  }

  function markOnArrival() {
    var words = new URLSearchParams(location.search).get("h");
    if (!words) return;
    var target = null;
    if (location.hash.length > 1) {
      try {
        target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      } catch (error) {
        target = null;
      }
    }
    var article = document.querySelector(".md-content article") || document.body;
    /* The words are marked where the result landed; if they are not there (a text's summary
       lands on its title), wherever they are on the page. */
    if (!markWords(target || article, words.split(/\s+/)) && target) markWords(article, words.split(/\s+/));
  }

  /* --- The search ----------------------------------------------------------------------------- */

  var root = document.querySelector("[data-cp-search]");
  markOnArrival();
  if (!root) return;

  var toggle = document.getElementById("__search");
  var form = root.querySelector("form");
  var input = root.querySelector("[data-cp-search-input]");
  var status = root.querySelector("[data-cp-search-status]");
  var list = root.querySelector("[data-cp-search-results]");
  var more = root.querySelector("[data-cp-search-more]");
  var facetsBox = root.querySelector("[data-cp-search-facets-box]");
  var facets = root.querySelector("[data-cp-search-facets]");
  var chosenBox = root.querySelector("[data-cp-search-chosen]");
  var base = siteRoot();

  var pagefind = null;
  var loading = null;
  var filtersLoaded = null;
  var chosen = {};
  FILTERS.forEach(function (f) { chosen[f[0]] = []; });
  var current = null;
  var currentTerm = "";
  var shown = 0;
  var generation = 0;

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return Promise.resolve(module.options({
          /* Pagefind 1.5 searches in a web worker that must start within 5 s or it falls back to this
             thread, a race that a busy machine loses; the index is small enough to search here. */
          noWorker: true,
          excerptLength: 28,
          /* A result is a voice's whole part of a text: its length says little against a short
             stance's (pageLength low), and the very word typed counts more than its stem's kin. */
          ranking: { termSimilarity: 8, pageLength: 0.1 },
        })).then(function () {
          pagefind = module;
          return module;
        });
      });
      loading.catch(function () {
        loading = null;
      });
    }
    return loading;
  }

  function say(message) {
    status.textContent = message;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function anyChosen() {
    return FILTERS.some(function (f) { return chosen[f[0]].length > 0; });
  }

  function filterOption() {
    var option = {};
    FILTERS.forEach(function (f) {
      if (chosen[f[0]].length) option[f[0]] = { any: chosen[f[0]].slice() };
    });
    return option;
  }

  function chosenLabel() {
    var parts = [];
    FILTERS.forEach(function (f) {
      if (chosen[f[0]].length) parts.push(f[1].toLowerCase() + ": " + chosen[f[0]].join(" or "));
    });
    return parts.join("; ");
  }

  function terms(query) {
    return (query.match(WORD) || []).map(function (w) { return w.toLocaleLowerCase(); });
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
    }
    load().catch(function () {});
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function run() {
    var term = input.value.trim();
    var mine = ++generation;
    if (!term && !anyChosen()) {
      current = null;
      list.replaceChildren();
      more.hidden = true;
      say("Type to search the texts, the voices and the editors' notes.");
      renderChosen();
      renderFacets(null);
      return;
    }
    load()
      .then(function (module) {
        return module.debouncedSearch(term || null, { filters: filterOption() }, 120);
      })
      .then(function (search) {
        if (!search || mine !== generation) return null;
        current = search;
        currentTerm = term;
        shown = 0;
        list.replaceChildren();
        renderChosen();
        renderFacets(search);
        return showMore().then(function () {
          if (mine === generation) announce();
        });
      })
      .catch(function (error) {
        if (mine !== generation) return;
        say("The search could not load (" + (error && error.message ? error.message : error) + ").");
      });
  }

  function announce() {
    var count = current.results.length;
    var what = currentTerm ? "for “" + currentTerm + "”" : "";
    var filtered = anyChosen() ? (what ? ", " : "") + chosenLabel() : "";
    if (!count) {
      say("No result " + what + filtered + ".");
      return;
    }
    say(count + (count === 1 ? " result " : " results ") + what + filtered + (count > shown ? ", " + shown + " shown" : "") + ".");
  }

  function showMore() {
    var batch = current.results.slice(shown, shown + PAGE_SIZE);
    var words = terms(currentTerm);
    var search = current;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
      if (search !== current) return;
      data.forEach(function (item) {
        list.appendChild(renderResult(item, words));
      });
      shown += batch.length;
      more.hidden = shown >= current.results.length;
      more.textContent = "More results (" + (current.results.length - shown) + " more)";
    });
  }

  function excerptNodes(container, excerpt) {
    /* Pagefind's excerpt is the record's text with < and > escaped and the words in <mark>:
       only the marks are taken as markup; the rest becomes text. */
    var found = [];
    excerpt.split(/(<mark>|<\/mark>)/).reduce(function (marking, piece) {
      if (piece === "<mark>") return true;
      if (piece === "</mark>") return false;
      var text = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      if (!text) return marking;
      if (marking) {
        container.appendChild(el("mark", "", text));
        found.push(text.toLocaleLowerCase());
      } else {
        container.appendChild(document.createTextNode(text));
      }
      return marking;
    }, false);
    return found;
  }

  function landing(url, words) {
    var address = new URL(url, location.href);
    if (words.length) address.searchParams.set("h", words.join(" "));
    return address.href;
  }

  function part(data, typed, preferred) {
    /* The part of a record (a paragraph, a voice's heading, a note: an element with an id) that
       holds the most of the words found, and the words found, by their places in the record's text
       (Pagefind counts places by the words between spaces). */
    var anchors = (data.anchors || []).filter(function (a) { return a.id && !isLanding(a.id); }).sort(function (a, b) { return a.location - b.location; });
    var places = (data.locations || []).slice().sort(function (a, b) { return a - b; });
    if (!anchors.length || !places.length) return null;
    var words = data.content.split(/\s+/);
    /* Each word found counts by Pagefind's score for it, and more if it is the very word typed. */
    var scores = {};
    (data.weighted_locations || []).forEach(function (l) { scores[l.location] = (l.balanced_score || 0) + 1; });
    /* With a stance (or question) chosen, the paragraphs of the passages taking it come first,
       if any of them holds words found. */
    var blocks = (preferred || []).map(function (p) { return p.block; });
    var within = anchors.filter(function (anchor, at) {
      var end = at + 1 < anchors.length ? anchors[at + 1].location : Infinity;
      return blocks.indexOf(anchor.id) >= 0 && places.some(function (p) { return p >= anchor.location && p < end; });
    });
    var best = null;
    var bestCount = 0;
    /* First the part holding the most of the different words found, then the best scored. */
    anchors.forEach(function (anchor, at) {
      var end = at + 1 < anchors.length ? anchors[at + 1].location : Infinity;
      var here = places.filter(function (p) { return p >= anchor.location && p < end; });
      var distinct = {};
      here.forEach(function (p) { distinct[terms(words[p] || "").join(" ")] = true; });
      var score = here.reduce(function (sum, p) {
        var word = terms(words[p] || "").join("");
        var exact = typed.indexOf(word) >= 0 ? 1000 : typed.some(function (t) { return word.indexOf(t) === 0; }) ? 500 : 0;
        return sum + (scores[p] || 1) + exact;
      }, 0);
      var count = Object.keys(distinct).length * 1e6 + score + (within.indexOf(anchor) >= 0 ? 1e9 : 0);
      if (count > bestCount) {
        best = { anchor: anchor, end: end };
        bestCount = count;
      }
    });
    if (!best) return null;
    var inside = places.filter(function (p) { return p >= best.anchor.location && p < best.end; });
    return { id: best.anchor.id, start: best.anchor.location, end: Math.min(best.end, words.length), places: inside, words: words };
  }

  function ownExcerpt(container, found) {
    /* The excerpt, from the part the result lands on: about 28 words around its first word found. */
    var from = Math.max(found.start, found.places[0] - 8);
    var to = Math.min(found.end, from + 28);
    var marked = [];
    if (from > found.start) container.appendChild(document.createTextNode("… "));
    for (var at = from; at < to; at += 1) {
      var word = found.words[at];
      if (found.places.indexOf(at) >= 0) {
        container.appendChild(el("mark", "", word));
        marked.push(word);
      } else {
        container.appendChild(document.createTextNode(word));
      }
      container.appendChild(document.createTextNode(" "));
    }
    if (to < found.end) container.appendChild(document.createTextNode("…"));
    return marked;
  }

  var LANDING = "cp-at:";
  var STANCES = "cp-stances:";

  function isLanding(id) {
    return id.indexOf(LANDING) === 0 || id.indexOf(STANCES) === 0;
  }

  function landings(data) {
    /* The passages of a voice's record that take a stance, each {id, block, at, words, stances}:
       empty elements whose ids hold them (counterpoint/search_index.py: Landing), in the order of
       the text; at is where the passage starts, counted as Pagefind counts. */
    var anchors = data.anchors || [];
    var table = anchors.filter(function (a) { return a.id && a.id.indexOf(STANCES) === 0; })[0];
    if (!table) return [];
    try {
      var stances = JSON.parse(decodeURIComponent(table.id.slice(STANCES.length)));
      return anchors.filter(function (a) { return a.id && a.id.indexOf(LANDING) === 0; }).map(function (a) {
        var p = JSON.parse(decodeURIComponent(a.id.slice(LANDING.length)));
        return { id: p[0], block: p[1], at: a.location, words: p[2], stances: (p[3] || []).map(function (n) { return stances[n]; }) };
      }).sort(function (a, b) { return a.at - b.at; });
    } catch (error) {
      return [];
    }
  }

  function chosenPassages(data) {
    /* The passages of a voice's record that take a chosen stance, or one on a chosen question. */
    var stances = chosen.stance;
    var questions = chosen.question;
    if (!stances.length && !questions.length) return [];
    return landings(data).filter(function (p) {
      var stanceOk = !stances.length || p.stances.some(function (s) { return stances.indexOf(s) >= 0; });
      var questionOk = !questions.length || p.stances.some(function (s) {
        return questions.some(function (q) { return s.indexOf(q + ": ") === 0; });
      });
      return stanceOk && questionOk;
    });
  }

  function passagePart(data, passage) {
    /* A passage found by its stance alone: its own words, from where it starts. */
    var words = data.content.split(/\s+/);
    var end = Math.min(words.length, passage.at + Math.max(1, passage.words));
    return { id: passage.id, start: passage.at, end: end, places: [], words: words, whole: true };
  }

  function isRecord(data) {
    /* One of the records made from the corpus (a text's voice, a text, a question, a stance), which
       carry their filters; a page indexed from its HTML carries none. */
    var f = data.filters || {};
    return Boolean((f.text && f.text.length) || (f.question && f.question.length));
  }

  function recordKind(data) {
    /* What a record is, for readers: its voice's name, or Text, Question, Stance (from its filters,
       since a "kind" in its metadata would be searched as its words are). */
    var f = data.filters || {};
    if (f.voice && f.voice.length && f.voice[0]) return f.voice[0];
    if (f.text && f.text.length) return "Text";
    return f.stance && f.stance.length ? "Stance" : "Question";
  }

  function recordTitle(data) {
    var f = data.filters || {};
    return data.meta.page || (f.text && f.text[0]) || (f.question && f.question[0]) || "";
  }

  function renderResult(data, words) {
    var target = data;
    var record = isRecord(data);
    if (data.sub_results && data.sub_results.length && !record) {
      target = data.sub_results[0];
    }
    var chosenHere = record ? chosenPassages(data) : [];
    var found = record ? part(data, words, chosenHere) : null;
    var taking = words.length ? [] : chosenHere;
    if (taking.length) found = passagePart(data, taking[0]);
    var item = el("li", "md-search-result__item cp-search-result");
    var link = el("a", "md-search-result__link cp-search-result__link");
    var where = el("span", "cp-search-result__where");
    var title = el("span", "cp-search-result__title", record ? recordTitle(data) : data.meta.title || "");
    title.setAttribute("dir", "auto");
    where.appendChild(title);
    var kind = record ? recordKind(data) : target !== data && target.title !== data.meta.title ? target.title : "";
    if (found && /^fn:/.test(found.id)) kind = "Editor's note" + (kind ? " (" + kind + ")" : "");
    if (taking.length > 1) kind += " · the first of " + taking.length + " passages";
    if (kind) where.appendChild(el("span", "cp-search-result__kind", " · " + kind));
    link.appendChild(where);
    var excerpt = el("span", "cp-search-result__excerpt");
    excerpt.setAttribute("dir", "auto");
    var marked = [];
    if (found && found.whole) {
      excerpt.appendChild(document.createTextNode(found.words.slice(found.start, Math.min(found.end, found.start + 40)).join(" ") + (found.end - found.start > 40 ? " …" : "")));
    } else if (found && found.places.length) {
      marked = ownExcerpt(excerpt, found);
    } else {
      marked = excerptNodes(excerpt, target.excerpt || data.excerpt || "");
    }
    link.appendChild(excerpt);
    /* The values of the chosen filters this result holds (a voice's record holds all its stances). */
    var filters = data.filters || {};
    var tags = [];
    FILTERS.forEach(function (f) {
      (filters[f[0]] || []).forEach(function (value) {
        if (chosen[f[0]].indexOf(value) >= 0 && f[0] !== "voice" && f[0] !== "text") tags.push(value);
      });
    });
    if (tags.length) link.appendChild(el("span", "cp-search-result__tags", tags.join(" · ")));
    var carry = words.slice();
    marked.forEach(function (word) {
      terms(word).forEach(function (w) {
        if (carry.indexOf(w) < 0) carry.push(w);
      });
    });
    var url = target.url || data.url;
    if (found) url = url.split("#")[0] + "#" + found.id;
    link.href = landing(url, carry);
    item.appendChild(link);
    return item;
  }

  /* --- Filters -------------------------------------------------------------------------------- */

  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = load().then(function (module) { return module.filters(); });
      filtersLoaded.catch(function () { filtersLoaded = null; });
    }
    return filtersLoaded;
  }

  function renderChosen() {
    chosenBox.replaceChildren();
    FILTERS.forEach(function (f) {
      chosen[f[0]].forEach(function (value) {
        var button = el("button", "cp-search-chip", f[1] + ": " + value);
        button.type = "button";
        button.setAttribute("aria-label", "Remove the filter " + f[1].toLowerCase() + ": " + value);
        button.addEventListener("click", function () {
          choose(f[0], value, false);
          input.focus();
        });
        chosenBox.appendChild(button);
      });
    });
    chosenBox.hidden = !anyChosen();
  }

  function renderFacets(search) {
    if (!search) {
      facetsBox.hidden = true;
      return;
    }
    facetsBox.hidden = false;
    var counts = search.filters || {};
    var focused = document.activeElement && facets.contains(document.activeElement) ? document.activeElement.value : null;
    facets.replaceChildren();
    var loaded = false;
    FILTERS.forEach(function (f) {
      var values = counts[f[0]] || {};
      var names = Object.keys(values).filter(function (v) { return values[v] > 0 || chosen[f[0]].indexOf(v) >= 0; });
      if (Object.keys(values).length) loaded = true;
      chosen[f[0]].forEach(function (v) { if (names.indexOf(v) < 0) names.push(v); });
      if (!names.length) return;
      names.sort(function (a, b) { return (values[b] || 0) - (values[a] || 0) || a.localeCompare(b); });
      var group = el("fieldset", "cp-search-facet");
      group.appendChild(el("legend", "", f[1]));
      var listNode = el("ul", "cp-search-facet__values");
      names.forEach(function (name, position) {
        var row = el("li");
        if (position >= FACET_SHOWN && chosen[f[0]].indexOf(name) < 0) row.hidden = true;
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.value = name;
        box.name = f[0];
        box.checked = chosen[f[0]].indexOf(name) >= 0;
        box.addEventListener("change", function () { choose(f[0], name, box.checked); });
        label.appendChild(box);
        var text = el("span", "", " " + name + " ");
        text.setAttribute("dir", "auto");
        label.appendChild(text);
        label.appendChild(el("span", "cp-count", "(" + (values[name] || 0) + ")"));
        row.appendChild(label);
        listNode.appendChild(row);
        if (focused === name) setTimeout(function () { box.focus(); }, 0);
      });
      group.appendChild(listNode);
      var hidden = listNode.querySelectorAll("li[hidden]").length;
      if (hidden) {
        var all = el("button", "cp-search-facet__all", "All " + names.length + " " + f[2]);
        all.type = "button";
        all.addEventListener("click", function () {
          listNode.querySelectorAll("li[hidden]").forEach(function (row) { row.hidden = false; });
          all.remove();
          var first = listNode.querySelector("input");
          if (first) first.focus();
        });
        group.appendChild(all);
      }
      facets.appendChild(group);
    });
    if (!loaded) {
      facets.appendChild(el("p", "cp-search-facet__wait", "Loading the filters…"));
      if (facetsBox.open || anyChosen()) loadFilters().then(rerun);
    }
  }

  function rerun() {
    if (current) run();
  }

  function choose(name, value, on) {
    var values = chosen[name];
    var at = values.indexOf(value);
    if (on && at < 0) values.push(value);
    if (!on && at >= 0) values.splice(at, 1);
    run();
  }

  facetsBox.addEventListener("toggle", function () {
    if (facetsBox.open) loadFilters().then(rerun);
  });

  /* --- The keyboard and the toggle ------------------------------------------------------------ */

  function stops() {
    return [input].concat(Array.prototype.slice.call(list.querySelectorAll("a")));
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", run);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.focus();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      FILTERS.forEach(function (f) { chosen[f[0]] = []; });
      run();
      input.focus();
    }, 0);
  });
  more.addEventListener("click", function () {
    var before = list.children.length;
    showMore().then(function () {
      announce();
      var next = list.children[before];
      if (next) next.querySelector("a").focus();
    });
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && (event.key === "/" || event.key === "s" || event.key === "S")) {
      event.preventDefault();
      open();
      input.focus();
      input.select();
      return;
    }
    if (!root.contains(target)) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var all = stops();
      var at = all.indexOf(target);
      if (at < 0) return;
      event.preventDefault();
      var next = all[Math.max(0, Math.min(all.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))];
      next.focus();
      if (next !== input) next.scrollIntoView({ block: "nearest" });
    }
  });

  /* The search page (and any address with ?q= and filters for it) opens the search as asked. */
  if (document.querySelector("[data-cp-search-page]")) {
    var nojs = document.querySelector("[data-cp-search-nojs]");
    if (nojs) nojs.hidden = true;
    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (f) {
      chosen[f[0]] = params.getAll(f[0]).filter(Boolean);
    });
    input.value = params.get("q") || "";
    if (input.value || anyChosen()) {
      open();
      input.focus();
      run();
    }
  }
})();
