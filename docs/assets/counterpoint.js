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
    var mark = event.target.closest && event.target.closest("mark.cp-hl");
    if (!mark) return;
    mark.dataset.p.split(" ").forEach(function (id) {
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
    document.body.append(bar);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cp-xref");
    if (link) remember(link);
  });
  document.addEventListener("mouseover", function (event) { hoverPassage(event, true); });
  document.addEventListener("mouseout", function (event) { hoverPassage(event, false); });
  window.addEventListener("hashchange", function () {
    showTarget();
    offerReturn();
  });
  function ready() {
    showTarget();
    offerReturn();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
