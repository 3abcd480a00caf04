/* Counterpoint: following a cross-reference, and finding the way back.
 *
 * - A passage may be cut into several <mark> pieces (formatting, overlapping
 *   passages); when its anchor is the URL's target, every piece is highlighted.
 * - Following a cross-reference remembers where the reader was; on arrival a
 *   bar offers the way back to that exact passage (the browser's Back works too).
 */
(function () {
  "use strict";

  var RETURN_KEY = "counterpoint:return";

  function passagePieces(id) {
    return document.querySelectorAll('mark.cp-hl[data-p~="' + CSS.escape(id) + '"]');
  }

  function showTarget() {
    document.querySelectorAll(".cp-target").forEach(function (el) {
      el.classList.remove("cp-target");
    });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var anchor = document.getElementById(id);
    if (!anchor || !anchor.classList.contains("cp-anchor")) return;
    passagePieces(id).forEach(function (el) {
      el.classList.add("cp-target");
    });
  }

  function hoverPassage(event, on) {
    /* Only a passage's own pieces name it (data-p); the legend's samples are marks with none. */
    var mark = event.target.closest && event.target.closest("mark.cp-hl[data-p]");
    if (!mark) return;
    mark.dataset.p.split(" ").filter(Boolean).forEach(function (id) {
      passagePieces(id).forEach(function (el) {
        el.classList.toggle("cp-hover", on);
      });
    });
  }

  function remember(link) {
    var from = link.getAttribute("data-from");
    var here = location.pathname + location.search + "#" + from;
    var heading = document.querySelector("h1");
    var target = new URL(link.getAttribute("href"), location.href);
    try {
      sessionStorage.setItem(RETURN_KEY, JSON.stringify({
        back: here,
        target: target.pathname + target.hash,
        title: heading ? heading.textContent.trim() : document.title,
        number: (document.getElementById("fnref:" + from) || {}).textContent || ""
      }));
    } catch (e) {
      /* Storage may be disabled; the browser's Back button still works. */
    }
  }

  function offerReturn() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(RETURN_KEY) || "null");
    } catch (e) {
      return;
    }
    if (!saved || saved.target !== location.pathname + location.hash) return;
    var old = document.querySelector(".cp-return");
    if (old) old.remove();
    var bar = document.createElement("div");
    bar.className = "cp-return";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Way back");
    var link = document.createElement("a");
    link.href = saved.back;
    link.textContent = "← Back to passage " + saved.number + " in “" + saved.title + "”";
    link.addEventListener("click", function () {
      sessionStorage.removeItem(RETURN_KEY);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () {
      sessionStorage.removeItem(RETURN_KEY);
      bar.remove();
    });
    bar.append(link, close);
    /* The bar is fixed to the window, but it sits in the page right after the passage, so that
       the Tab key reaches the way back next, not after every link of the rest of the page. */
    var anchor = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var block = anchor && anchor.closest(".cp-p");
    if (block) {
      block.after(bar);
    } else {
      document.body.append(bar);
    }
  }

  /* --- Citing a paragraph or a passage ------------------------------------ */

  var citations = null;

  function citationOf(id) {
    if (citations === null) {
      var data = document.getElementById("cp-citations");
      citations = data ? JSON.parse(data.textContent) : {};
    }
    var target = document.getElementById(id);
    if (!target) return null;
    var section = target.closest("[data-voice]");
    var voice = section ? section.getAttribute("data-voice") : Object.keys(citations)[0];
    var text = citations[voice];
    if (!text) return null;
    var paragraph = target.closest(".cp-p");
    var number = paragraph ? paragraph.querySelector(".cp-pn").getAttribute("data-n") : "";
    return {
      what: target.classList.contains("cp-anchor") ? "passage" : "paragraph " + number,
      citation: text.replace(/\.$/, "") + (number ? ", ¶" + number : "") + ".",
      link: location.href.split("#")[0] + "#" + id
    };
  }

  function copy(text, status) {
    function done() { status.textContent = "Copied."; }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      try {
        document.execCommand("copy");
        done();
      } catch (e) {
        status.textContent = "Select the text and copy it.";
      }
      area.remove();
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  var dialog = null;

  function citeDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "cp-cite-dialog";
    dialog.setAttribute("aria-labelledby", "cp-cite-dialog-title");
    var title = document.createElement("h2");
    title.id = "cp-cite-dialog-title";
    var citation = document.createElement("p");
    citation.className = "cp-cite-dialog-text";
    var label = document.createElement("label");
    label.textContent = "Permalink in this reader";
    var link = document.createElement("input");
    link.type = "text";
    link.readOnly = true;
    label.append(link);
    var status = document.createElement("p");
    status.className = "cp-cite-dialog-status";
    status.setAttribute("role", "status");
    var buttons = document.createElement("div");
    buttons.className = "cp-cite-dialog-buttons";
    function button(text, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.addEventListener("click", action);
      buttons.append(b);
      return b;
    }
    button("Copy citation and link", function () {
      copy(citation.textContent + " " + link.value, status);
    });
    button("Copy link", function () { copy(link.value, status); });
    button("Close", function () { dialog.close(); });
    dialog.append(title, citation, label, buttons, status);
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  /* a click on the backdrop */
    });
    document.body.append(dialog);
    dialog.parts = { title: title, citation: citation, link: link, status: status };
    return dialog;
  }

  function openCitation(id) {
    var cite = citationOf(id);
    if (!cite) return false;
    var d = citeDialog();
    d.parts.title.textContent = "Cite this " + cite.what;
    d.parts.citation.textContent = cite.citation;
    d.parts.link.value = cite.link;
    d.parts.status.textContent = "";
    d.showModal();
    return true;
  }

  function addCiteButtons() {
    document.querySelectorAll("li.cp-fn").forEach(function (note) {
      var id = note.id.replace(/^fn:/, "");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "cp-cite-button";
      b.setAttribute("data-cite", id);
      b.textContent = "Cite this passage";
      note.insertBefore(b, note.querySelector(".footnote-backref"));
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) return;
    var link = target.closest("a.cp-xref");
    if (link) remember(link);
    var number = target.closest("a.cp-pn");
    if (number && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
      var id = number.getAttribute("href").slice(1);
      history.replaceState(null, "", "#" + id);
      if (openCitation(id)) event.preventDefault();
    }
    var cite = target.closest(".cp-cite-button");
    if (cite) openCitation(cite.getAttribute("data-cite"));
  });
  /* Escape hides a note shown as a tooltip on hover or focus, without moving either (WCAG 1.4.13);
     the next marker pointed at or focused shows its note again. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.querySelector(".md-tooltip2--active")) return;
    document.documentElement.classList.add("cp-tooltip-dismissed");
  });
  function showTooltipsAgain(event) {
    if (event.type === "mouseover" && !(event.target.closest && event.target.closest("a.footnote-ref"))) return;
    document.documentElement.classList.remove("cp-tooltip-dismissed");
  }
  document.addEventListener("focusin", showTooltipsAgain);
  document.addEventListener("mouseover", showTooltipsAgain);
  document.addEventListener("mouseover", function (event) { hoverPassage(event, true); });
  document.addEventListener("mouseout", function (event) { hoverPassage(event, false); });
  window.addEventListener("hashchange", function () {
    showTarget();
    offerReturn();
  });
  function writeOutTargets() {
    /* Print shows each cross-reference's full address; CSS can only read attributes. */
    document.querySelectorAll("a.cp-xref, a.cp-source-link").forEach(function (link) {
      link.setAttribute("data-print-href", link.href);
    });
  }

  /* --- Material's navigation drawer, on narrow windows, with the keyboard ----
   * Its button is a <label> that Tab does not reach, and its links, off-screen
   * while it is closed, were Tab stops with an invisible focus. The button
   * becomes one (Enter or Space opens the drawer and moves into it); the closed
   * drawer is hidden (counterpoint.css); Escape, or moving the focus out of it,
   * closes it. */
  function keyboardDrawer() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector('.md-header label[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button || !drawer) return;
    function expanded() {
      button.setAttribute("aria-expanded", String(toggle.checked));
    }
    function set(open) {
      if (toggle.checked === open) return;
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
      expanded();
    }
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", "Navigation");
    expanded();
    toggle.addEventListener("change", expanded);
    function firstShown() {
      /* Material stacks the levels of the navigation: the first link not covered by another. */
      var links = drawer.querySelectorAll("a[href], [tabindex='0']");
      for (var i = 0; i < links.length; i++) {
        var box = links[i].getBoundingClientRect();
        if (!box.width || !box.height) continue;
        var top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (top && links[i].contains(top)) return links[i];
      }
      return null;
    }
    button.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      event.stopPropagation();  /* Material would click the label too, toggling it back. */
      set(!toggle.checked);
      if (!toggle.checked) return;
      /* Once the drawer has slid in (Material's transition takes 0.25 s). */
      setTimeout(function () {
        var first = toggle.checked && firstShown();
        if (first) first.focus();
      }, 300);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) return;
      set(false);
      button.focus();
    });
    document.addEventListener("focusin", function (event) {
      if (toggle.checked && !drawer.contains(event.target) && event.target !== button) set(false);
    });
  }

  function ready() {
    keyboardDrawer();
    writeOutTargets();
    addCiteButtons();
    showTarget();
    offerReturn();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
