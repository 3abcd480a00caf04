// The editor's workbench (served only by `counterpoint edit`, never part of a built site).
// Select words in a text to annotate them; click a highlighted passage to edit or delete it.
(function () {
  "use strict";
  const session = window.cpWorkbench;
  const body = document.querySelector(".cp-body");
  const match = location.pathname.match(/\/texts\/([^/]+)\/?$/);
  if (!session || !body || !match) return;
  const slug = decodeURIComponent(match[1]);
  let state = null;

  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "text") node.textContent = value;
      else if (value !== null && value !== undefined) node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  };

  // The author's words of a paragraph: its text without Counterpoint's apparatus (numbers, markers).
  const isApparatus = node => !!(node.parentElement && node.parentElement.closest(".cp-apparatus, .cp-anchor"));
  function authorText(paragraph, until) {
    let text = "";
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (until && node === until.node) return text + (node.nodeType === 3 && !isApparatus(node) ? node.data.slice(0, until.offset) : "");
      if (node.nodeType === 1 && node.tagName === "BR") text += "\n";
      if (node.nodeType === 3 && !isApparatus(node)) text += node.data;
    }
    return text;
  }
  function offsetIn(paragraph, container, offset) {
    if (container.nodeType !== 3) {
      // A boundary between elements: the text before the child at `offset`.
      const range = document.createRange();
      range.setStart(paragraph, 0);
      range.setEnd(container, offset);
      const probe = document.createElement("div");
      probe.append(range.cloneContents());
      probe.querySelectorAll(".cp-apparatus, .cp-anchor").forEach(n => n.remove());
      probe.querySelectorAll("br").forEach(n => n.replaceWith("\n"));
      return probe.textContent.length;
    }
    return authorText(paragraph, {node: container, offset}).length;
  }

  const panel = el("aside", {id: "cp-wb-panel", role: "dialog", "aria-labelledby": "cp-wb-title", hidden: ""});
  document.body.append(panel);
  const status = el("p", {id: "cp-wb-status", role: "status", "aria-live": "polite"});

  async function load() {
    const answer = await fetch(`/_workbench/state?text=${encodeURIComponent(slug)}`, {cache: "no-store"});
    state = await answer.json();
    return state;
  }

  function refuse(message) {
    openPanel(null, null, message);
  }

  document.addEventListener("mouseup", event => {
    if (panel.contains(event.target)) return;
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !body.contains(selection.anchorNode)) return;
    const range = selection.getRangeAt(0);
    const start = (range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement).closest(".cp-p");
    const end = (range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement).closest(".cp-p");
    if (!start || !end) return;
    const voice = start.closest("[data-voice]"), otherVoice = end.closest("[data-voice]");
    if (voice !== otherVoice) return refuse("The selection runs across two voices: a passage is the words of one voice. Select within one paragraph.");
    if (start !== end) return refuse("The selection runs across two paragraphs: a passage lies within one paragraph. Select within one.");
    const text = authorText(start);
    const from = offsetIn(start, range.startContainer, range.startOffset);
    const to = offsetIn(start, range.endContainer, range.endOffset);
    const quote = text.slice(from, to).replace(/\s+/g, " ").trim();
    if (!quote) return;
    openPanel({quote, prefix: text.slice(Math.max(0, from - 64), from), suffix: text.slice(to, to + 64), context: text, voice: voice && voice.dataset.voice}, null);
  });

  body.addEventListener("click", event => {
    const mark = event.target.closest("mark.cp-hl[data-p]");
    if (!mark || !document.getSelection().isCollapsed) return;
    const id = mark.dataset.p.split(" ")[0];
    openPanel(null, id);
  });

  function suggestedId(voice, quote) {
    const words = quote.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").replace(/[^a-z0-9 ]+/g, " ").split(" ").filter(w => w.length > 2).slice(0, 3);
    const base = [voice || "passage", ...words].join("-");
    let id = base, n = 2;
    while (state.ids.includes(id)) id = `${base}-${n++}`;
    return id;
  }

  async function openPanel(selection, passageId, refusal = "") {
    await load();
    panel.replaceChildren();
    if (state.ok === false) {
      // The corpus is broken: its problems are listed at the top of the page; nothing can be saved.
      status.textContent = state.error;
      status.className = "cp-wb-refused";
      panel.append(el("h2", {id: "cp-wb-title", text: "The workbench is waiting"}), status);
      panel.hidden = false;
      return;
    }
    status.textContent = refusal;
    status.className = refusal ? "cp-wb-refused" : "";
    const existing = passageId ? state.passages.find(p => p.id === passageId) : null;
    const written = (existing && existing.written) || {};
    const words = selection ? selection.quote : existing ? existing.words : "";
    const voice = selection ? selection.voice : existing ? existing.voice : null;
    const close = el("button", {type: "button", class: "cp-wb-close", "aria-label": "Close", text: "×"});
    close.addEventListener("click", () => { panel.hidden = true; });
    panel.append(close, el("h2", {id: "cp-wb-title", text: existing ? `Passage ${existing.id}` : "New passage"}), status);
    if (!words) { panel.hidden = false; return; }
    panel.append(
      el("blockquote", {class: "cp-wb-words", text: `“${words}”`}),
      el("p", {class: "cp-wb-voice", text: `Voice: ${state.voices[voice] || voice || "?"}`}),
    );
    const form = el("form", {id: "cp-wb-form"});
    const idInput = el("input", {id: "cp-wb-id", name: "id", required: "", pattern: "[a-z0-9][a-z0-9-]*", value: existing ? existing.id : suggestedId(voice, words)});
    form.append(el("label", {for: "cp-wb-id", text: "Passage id"}), idInput);

    // Stances: one row per question answered.
    const stanceRows = el("div", {id: "cp-wb-stances"});
    const addStance = (questionId = "", stanceId = "") => {
      const question = el("select", {class: "cp-wb-question", "aria-label": "Question"}, el("option", {value: "", text: "(question)"}));
      for (const q of state.questions) question.append(el("option", {value: q.id, text: q.question}));
      const stance = el("select", {class: "cp-wb-stance", "aria-label": "Stance"});
      const about = el("p", {class: "cp-wb-about"});
      const fill = () => {
        const q = state.questions.find(x => x.id === question.value);
        stance.replaceChildren(el("option", {value: "", text: "(stance)"}));
        for (const s of q ? q.stances : []) stance.append(el("option", {value: s.id, text: s.label}));
        about.textContent = q && q.about ? q.about : "";
      };
      const describe = () => {
        const q = state.questions.find(x => x.id === question.value);
        const s = q && q.stances.find(x => x.id === stance.value);
        about.textContent = s && s.description ? s.description : (q && q.about) || "";
      };
      question.addEventListener("change", fill);
      stance.addEventListener("change", describe);
      question.value = questionId; fill(); stance.value = stanceId; describe();
      const remove = el("button", {type: "button", text: "Remove"});
      const row = el("div", {class: "cp-wb-row"}, question, stance, remove, about);
      remove.addEventListener("click", () => row.remove());
      stanceRows.append(row);
    };
    for (const [q, s] of Object.entries(written.stances || {})) addStance(q, s);
    if (!stanceRows.children.length) addStance();
    const more = el("button", {type: "button", text: "Add a stance"});
    more.addEventListener("click", () => addStance());
    form.append(el("fieldset", {}, el("legend", {text: "Stances"}), stanceRows, more));

    const note = el("textarea", {id: "cp-wb-note", rows: "3"});
    note.value = written.note || "";
    form.append(el("label", {for: "cp-wb-note", text: "Note (describe, never judge)"}), note);

    // Relations to passages of other texts.
    const relationRows = el("div", {id: "cp-wb-relations"});
    const addRelation = (kind = "opposes", target = "") => {
      const type = el("select", {class: "cp-wb-kind", "aria-label": "Relation"});
      for (const k of ["opposes", "supports", "responds_to"]) type.append(el("option", {value: k, text: k.replace("_", " ")}));
      type.value = kind;
      const input = el("input", {class: "cp-wb-target", "aria-label": "Passage id", list: "cp-wb-ids", value: target});
      const remove = el("button", {type: "button", text: "Remove"});
      const row = el("div", {class: "cp-wb-row"}, type, input, remove);
      remove.addEventListener("click", () => row.remove());
      relationRows.append(row);
    };
    for (const kind of ["opposes", "supports", "responds_to"]) for (const target of written[kind] || []) addRelation(kind, target);
    const ids = el("datalist", {id: "cp-wb-ids"});
    for (const id of state.ids) ids.append(el("option", {value: id}));
    const addLink = el("button", {type: "button", text: "Add a relation"});
    addLink.addEventListener("click", () => addRelation());
    const suggestions = el("ol", {id: "cp-wb-suggestions"});
    form.append(el("fieldset", {}, el("legend", {text: "Relations to other texts"}), relationRows, addLink, ids,
      el("p", {class: "cp-wb-hint", text: "Suggested (other texts; proposals to read, not links):"}), suggestions));

    const save = el("button", {type: "submit", id: "cp-wb-save", text: "Save"});
    form.append(el("div", {class: "cp-wb-actions"}, save));
    if (existing) {
      const remove = el("button", {type: "button", id: "cp-wb-delete", text: "Delete this passage"});
      remove.addEventListener("click", () => send({action: "delete", replace: existing.id, text: slug}));
      form.lastChild.append(remove);
    }
    form.addEventListener("submit", event => {
      event.preventDefault();
      const stances = {};
      for (const row of stanceRows.children) {
        const q = row.querySelector(".cp-wb-question").value, s = row.querySelector(".cp-wb-stance").value;
        if (q && s) stances[q] = s;
      }
      const relations = {opposes: [], supports: [], responds_to: []};
      for (const row of relationRows.children) {
        const target = row.querySelector(".cp-wb-target").value.trim();
        if (target) relations[row.querySelector(".cp-wb-kind").value].push(target);
      }
      send({action: "save", text: slug, replace: existing ? existing.id : null, id: idInput.value.trim(), quote: words,
            prefix: selection ? selection.prefix : written.prefix, suffix: selection ? selection.suffix : written.suffix,
            stances, note: note.value, ...relations});
    });
    panel.append(form);
    panel.hidden = false;
    idInput.focus();

    const chosenStances = () => [...stanceRows.children]
      .map(row => [row.querySelector(".cp-wb-question").value, row.querySelector(".cp-wb-stance").value])
      .filter(([q, s]) => q && s);
    const suggest = async () => {
      const query = existing ? `passage=${encodeURIComponent(existing.id)}`
        : `text=${encodeURIComponent(slug)}&quote=${encodeURIComponent(words)}&context=${encodeURIComponent(selection.context)}`
          + chosenStances().map(([q, s]) => `&stance=${encodeURIComponent(q + ":" + s)}`).join("");
      const found = await (await fetch(`/_workbench/suggest?${query}`, {cache: "no-store"})).json();
      suggestions.replaceChildren();
      for (const s of found.suggestions || []) {
        const item = el("li", {}, el("span", {class: "cp-wb-where", text: `${s.title}, ¶${s.paragraph ?? "?"}${s.passage ? ` (${s.passage})` : " (not annotated)"}${s.relation ? ` [${s.relation}]` : ""}: `}),
          el("q", {text: s.words}));
        if (s.passage) {
          for (const kind of ["opposes", "supports"]) {
            const add = el("button", {type: "button", class: `cp-wb-add-${kind}`, text: kind});
            add.addEventListener("click", () => addRelation(kind, s.passage));
            item.append(" ", add);
          }
        }
        suggestions.append(item);
      }
    };
    if (!existing) stanceRows.addEventListener("change", suggest);
    suggest();
  }

  async function send(request) {
    request.digest = state.digest;
    status.textContent = "Saving…";
    status.className = "";
    const answer = await fetch("/_workbench/passage", {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Counterpoint-Token": session.token},
      body: JSON.stringify(request),
    });
    const result = await answer.json();
    if (result.ok) {
      status.textContent = `Saved in ${result.file}; the page reloads once the site is rebuilt.`;
      status.className = "cp-wb-saved";
      state.digest = result.digest;
      return;
    }
    status.className = "cp-wb-refused";
    status.replaceChildren(el("strong", {text: result.error}));
    if (result.problems && result.problems.length) status.append(el("pre", {text: result.problems.join("\n")}));
  }
})();
