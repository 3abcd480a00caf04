/* Counterpoint: the matrix and the compare page.
 *
 * - Matrix: a cell shows the voice's words while it is pointed at or focused
 *   (pure CSS); Escape hides them until the pointer or focus moves on.
 * - Compare: the page carries every voice's positions, rendered by the site
 *   generator, in a <template>. Choosing two voices copies their positions
 *   into the rows, question by question; the pair is kept in the address
 *   (?a=…&b=…) so that it can be linked to, e.g. from the agreement table.
 *   With many voices the page carries none of them: it fetches the list of
 *   voices (data-cp-voices) and each chosen voice's positions, one small JSON
 *   file a voice (data-cp-voice-files), addresses relative to the page. A
 *   voice's file holds the same markup the page would carry, rendered and
 *   escaped by the site generator; it is parsed into an inert <template>.
 *   Otherwise nothing here builds markup from strings: it clones the site's
 *   own nodes and sets plain text.
 */
(function () {
  "use strict";

  /* -- Matrix: dismiss the words with Escape ----------------------------------- */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".cp-matrix").forEach(function (table) {
      table.classList.add("cp-words-dismissed");
    });
  });
  function undismiss(event) {
    var table = event.target.closest && event.target.closest(".cp-matrix");
    if (table) table.classList.remove("cp-words-dismissed");
  }
  var lastCell = null;
  document.addEventListener("focusin", undismiss);
  document.addEventListener("mouseover", function (event) {
    var cell = event.target.closest && event.target.closest(".cp-cell");
    if (cell && cell !== lastCell) {
      lastCell = cell;
      undismiss(event);
    }
  });

  /* -- Compare two voices ------------------------------------------------------- */
  var root = document.querySelector("[data-cp-compare]");
  if (!root) return;
  var form = root.querySelector("[data-cp-form]");
  var template = root.querySelector("template[data-cp-data]");
  var listUrl = root.getAttribute("data-cp-voices");
  var filesUrl = root.getAttribute("data-cp-voice-files");
  var remote = listUrl !== null && filesUrl !== null;
  var picks = { a: root.querySelector('[data-cp-pick="a"]'), b: root.querySelector('[data-cp-pick="b"]') };
  var rows = root.querySelector("[data-cp-rows]");
  var heads = root.querySelector("[data-cp-heads]");
  var summary = root.querySelector("[data-cp-summary]");
  var neither = root.querySelector("[data-cp-neither]");
  if (!form || !(template || remote) || !picks.a || !picks.b || !rows) return;

  root.querySelector("[data-cp-nojs]").hidden = true;
  root.querySelector("[data-cp-go]").hidden = true;
  var swap = root.querySelector("[data-cp-swap]");
  swap.hidden = false;

  /* Fetched voices: id -> the voice's node, or {error: "…"} when its file could not be read. */
  var fetched = {};
  var pending = {};
  var listError = "";
  var listReady = !remote;

  function offered(id) {
    if (!id) return false;
    var options = picks.a.options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === id) return true;
    }
    return false;
  }

  function voiceName(id) {
    var options = picks.a.options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === id) return options[i].textContent;
    }
    return id;
  }

  function voiceData(id) {
    if (!id) return null;
    if (remote) {
      var found = fetched[id];
      return found && found.nodeType ? found : null;
    }
    var all = template.content.querySelectorAll("[data-voice]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-voice") === id) return all[i];
    }
    return null;
  }

  function fail(response, url) {
    return new Error(response.status + " " + (response.statusText || "") + " for " + url);
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw fail(response, url);
      return response.json();
    });
  }

  /* Fetch a voice's positions once; render again when they arrive (or do not). */
  function load(id) {
    if (!remote || !id || fetched[id] || pending[id]) return;
    pending[id] = true;
    var url = filesUrl + encodeURIComponent(id) + ".json";
    fetchJson(url)
      .then(function (data) {
        var holder = document.createElement("template");
        holder.innerHTML = typeof data.html === "string" ? data.html : "";
        var node = holder.content.querySelector("[data-voice]");
        if (data.voice !== id || !node || node.getAttribute("data-voice") !== id) {
          throw new Error(url + " does not hold this voice's positions");
        }
        fetched[id] = node;
      })
      .catch(function (error) {
        fetched[id] = { error: String((error && error.message) || error) };
      })
      .then(function () {
        delete pending[id];
        render();
      });
  }

  function fill(slot, voice, questionId) {
    slot.replaceChildren();
    if (!voice) return null;
    var label = document.createElement("p");
    label.className = "cp-compare-side-label cp-apparatus";
    label.textContent = voice.getAttribute("data-short");
    slot.append(label);
    var found = position(voice, questionId);
    if (!found) return null;
    slot.append(found.cloneNode(true));
    var stances = ids(found.getAttribute("data-stance"));
    return stances.length ? { stances: stances, contradicts: ids(found.getAttribute("data-contradicts")) } : null;
  }

  /* A space-separated list of stance ids (a voice may hold several compatible stances on a question). */
  function ids(value) {
    return (value || "").split(" ").filter(Boolean);
  }

  /* How two voices' stances on a question relate, as the agreement counts and the Method say: the same
     when they share a stance; opposed when one holds a stance the question declares contradictory to
     one of the other's; otherwise different but compatible, which is no opposition. */
  function relation(sa, sb) {
    var same = sa.stances.some(function (s) { return sb.stances.indexOf(s) >= 0; });
    var opposed = sa.stances.some(function (s) { return sb.contradicts.indexOf(s) >= 0; });
    if (same && opposed) return { same: true, opposed: true, kind: "same", text: "= a stance in common; ≠ and contradicting ones" };
    if (same) return { same: true, opposed: false, kind: "same", text: "= same stance" };
    if (opposed) return { same: false, opposed: true, kind: "opposed", text: "≠ contradicting stances" };
    return { same: false, opposed: false, kind: "different", text: "different stances, not contradictory" };
  }

  function position(voice, questionId) {
    var all = voice.querySelectorAll("[data-q]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-q") === questionId) return all[i];
    }
    return null;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  /* What stands in the way of showing the chosen voices: a list or files still loading, or not loaded. */
  function obstacle() {
    if (listError) {
      return "The list of voices could not be loaded (" + listError + "). Reload the page to try again; " +
        "meanwhile the matrix and the questions' pages show every voice's stances.";
    }
    if (!listReady) return "Loading the list of voices…";
    var ids = [picks.a.value, picks.b.value];
    var loading = [], failed = [];
    ids.forEach(function (id) {
      if (!remote || !id) return;
      load(id);
      var found = fetched[id];
      if (found && !found.nodeType) failed.push(voiceName(id) + " (" + found.error + ")");
      else if (!found) loading.push(voiceName(id));
    });
    if (failed.length) {
      return "The positions of " + failed.join(" and of ") + " could not be loaded. Reload the page to try " +
        "again; meanwhile the matrix and the questions' pages show every voice's stances.";
    }
    if (loading.length) return "Loading the positions of " + loading.join(" and of ") + "…";
    return "";
  }

  function render() {
    var blocked = obstacle();
    if (blocked) {
      summary.textContent = blocked;
      rows.hidden = true;
      heads.hidden = true;
      neither.hidden = true;
      root.classList.remove("cp-compare-two");
      return;
    }
    var a = voiceData(picks.a.value);
    var b = voiceData(picks.b.value);
    var nameA = a ? a.getAttribute("data-short") : "";
    var nameB = b ? b.getAttribute("data-short") : "";
    var shared = 0, same = 0, opposed = 0, compatible = 0, neitherNames = [];
    heads.replaceChildren();
    [a, b].forEach(function (voice, index) {
      if (index === 1) {
        var gap = document.createElement("div");
        gap.className = "cp-compare-head-gap";
        heads.append(gap);
      }
      var head = document.createElement("div");
      head.className = "cp-compare-head";
      if (voice) {
        var copy = voice.querySelector(".cp-compare-voice").cloneNode(true);
        // The sticky heads repeat, for the eye, names the page already gives: hidden from assistive
        // technology, so their links must not take the keyboard's focus either.
        copy.querySelectorAll("a").forEach(function (link) { link.tabIndex = -1; });
        head.append(copy);
      }
      heads.append(head);
    });
    rows.querySelectorAll(":scope > li[data-q]").forEach(function (row) {
      var q = row.getAttribute("data-q");
      var sa = fill(row.querySelector('[data-side="a"]'), a, q);
      var sb = fill(row.querySelector('[data-side="b"]'), b, q);
      var rel = row.querySelector("[data-rel]");
      var both = a && b;
      var text = "", kind = "";
      if (both && sa && sb) {
        shared++;
        var found = relation(sa, sb);
        if (found.same) same++;
        if (found.opposed) opposed++;
        if (!found.same && !found.opposed) compatible++;
        text = found.text;
        kind = found.kind;
      } else if (both && sa) {
        text = "only " + nameA + " addresses it"; kind = "one";
      } else if (both && sb) {
        text = "only " + nameB + " addresses it"; kind = "one";
      }
      rel.textContent = text;
      row.setAttribute("data-kind", kind);
      var none = (!a || !sa) && (!b || !sb);
      row.hidden = none;
      if (none) neitherNames.push(row.querySelector(".cp-compare-question a").textContent);
    });
    var any = a || b;
    rows.hidden = !any;
    heads.hidden = !(a && b);
    root.classList.toggle("cp-compare-two", Boolean(a && b));
    if (a && b && a === b) {
      summary.textContent = "You chose the same voice twice; choose another voice to compare.";
    } else if (a && b) {
      summary.textContent = nameA + " and " + nameB + " both take a stance on " + plural(shared, "question", "questions") +
        (shared ? ": " + [
          "the same stance on " + same + " of them",
          opposed ? "contradicting stances on " + opposed : "",
          compatible ? "different but compatible stances on " + compatible : ""
        ].filter(Boolean).join(", ") + "." : ".");
    } else if (any) {
      summary.textContent = "The stances of " + (nameA || nameB) + ". Choose a second voice to compare.";
    } else {
      summary.textContent = "Choose two voices.";
    }
    if (any && neitherNames.length) {
      neither.hidden = false;
      neither.textContent = (a && b ? "Neither addresses: " : "Not addressed: ") + neitherNames.join(" · ") + ".";
    } else {
      neither.hidden = true;
    }
  }

  function syncAddress() {
    var params = new URLSearchParams(location.search);
    ["a", "b"].forEach(function (side) {
      if (picks[side].value) params.set(side, picks[side].value);
      else params.delete(side);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function choose(side, id) {
    var known = remote ? offered(id) : Boolean(voiceData(id));
    picks[side].value = known ? id : "";
  }

  /* The list of voices, text by text, as the page would carry it in its two selects. */
  function offer(list) {
    ["a", "b"].forEach(function (side) {
      var select = picks[side];
      list.texts.forEach(function (text) {
        var group = document.createElement("optgroup");
        group.label = text.title;
        text.voices.forEach(function (voice) {
          var option = document.createElement("option");
          option.value = voice[0];
          option.textContent = voice[1];
          group.append(option);
        });
        select.append(group);
      });
    });
  }

  function start() {
    var params = new URLSearchParams(location.search);
    choose("a", params.get("a"));
    choose("b", params.get("b"));
    render();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    syncAddress();
    render();
  });
  ["a", "b"].forEach(function (side) {
    picks[side].addEventListener("change", function () {
      syncAddress();
      render();
    });
  });
  swap.addEventListener("click", function () {
    var a = picks.a.value;
    picks.a.value = picks.b.value;
    picks.b.value = a;
    syncAddress();
    render();
  });

  if (!remote) {
    start();
    return;
  }
  render();
  fetchJson(listUrl)
    .then(function (list) {
      offer(list);
      listReady = true;
    })
    .catch(function (error) {
      listError = String((error && error.message) || error);
    })
    .then(start);
})();
