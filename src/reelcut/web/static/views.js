// Drawing the page's lists from API data: uploads, clips, versions, the excitement curves and
// candidate moments. No requests here: actions are handed back through callbacks.

const SVG = "http://www.w3.org/2000/svg";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const secs = (ms) => (ms / 1000).toFixed(1) + " s";

// The reel's clips, in order, from the compact draft (sources named by media id).
export function draftClips(draft, names = {}) {
  if (!draft) return [];
  const sources = Object.fromEntries((draft.m.sources || []).map((s) => [s.id, s]));
  const main = (draft.t || []).find((t) => t.tt === 0);
  return (main ? main.sg : []).map((sg, i) => {
    const m = sg.m || {};
    const src = sources[m.source_id] || null;
    return {
      number: i + 1,
      start_ms: sg.st,
      duration_ms: sg.d,
      source_in_ms: m.source_in_ms || 0,
      source_out_ms: m.source_out_ms || 0,
      role: m.role || m.type,
      reason: m.reason || "",
      media_id: src && src.kind === "video" ? src.path : null,
      name: src ? names[src.path] || src.title || src.path : m.text || "card",
    };
  });
}

export function renderUploads(list, infos, words) {
  list.replaceChildren(
    ...infos.map((v) => {
      const status = v.analysis_status;
      const done = status === "completed";
      const bar = el("progress", { max: "1", value: String(v.analysis_progress || 0) });
      const label =
        status === "failed" ? words.failed : done ? words.analysed : status ? words.analysing : v.kind;
      return el(
        "li",
        { "data-media": v.id, "data-status": status || v.kind },
        el("span", { class: "name", text: `${v.name} · ${v.duration.toFixed(1)} s` }),
        el("span", { class: "muted", text: label }),
        done || !status ? null : bar,
      );
    }),
  );
}

export function renderClips(list, draft, files, names, words, act) {
  const clips = draftClips(draft, names);
  let dragged = null;
  list.replaceChildren(
    ...clips.map((c) => {
      const base = c.media_id ? files[c.media_id] : null;
      const mid = (c.source_in_ms + c.source_out_ms) / 2000;
      const button = (key, handler, label = "") =>
        el("button", {
          type: "button",
          class: "icon",
          "aria-label": words[key] + " " + c.number,
          title: words[key],
          text: label,
          onclick: handler,
        });
      const li = el(
        "li",
        { class: "clip", draggable: "true", tabindex: "0", "data-index": String(c.number) },
        base
          ? el("img", { src: `${base}/still.jpg?t=${mid.toFixed(2)}`, alt: "", width: "96", height: "54", loading: "lazy" })
          : el("span", { class: "card-thumb", text: "T" }),
        el(
          "div",
          { class: "clip-text" },
          el("strong", { text: `${c.number}. ${c.name}` }),
          el("span", {
            class: "muted",
            text: c.media_id
              ? `${secs(c.source_in_ms)}–${secs(c.source_out_ms)} (${secs(c.duration_ms)})`
              : secs(c.duration_ms),
          }),
          c.reason ? el("span", { class: "muted small", text: c.reason }) : null,
        ),
        el(
          "div",
          { class: "clip-actions" },
          button("move_up", () => act.move(c.number, c.number - 1), "↑"),
          button("move_down", () => act.move(c.number, c.number + 1), "↓"),
          c.media_id ? button("trim_head", () => act.trim(c.number, 500, 0), "⇥") : null,
          c.media_id ? button("trim_tail", () => act.trim(c.number, 0, 500), "⇤") : null,
          c.media_id ? button("extend_head", () => act.trim(c.number, -500, 0), "⇤+") : null,
          c.media_id ? button("extend_tail", () => act.trim(c.number, 0, -500), "+⇥") : null,
          c.media_id ? button("swap", () => act.swap(c.number), "⟳") : null,
          button("remove", () => act.remove(c.number), "✕"),
        ),
      );
      li.addEventListener("dragstart", (e) => {
        dragged = c.number;
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", String(c.number));
        li.classList.add("dragging");
      });
      li.addEventListener("dragend", () => li.classList.remove("dragging"));
      li.addEventListener("dragover", (e) => {
        e.preventDefault();
        li.classList.add("over");
      });
      li.addEventListener("dragleave", () => li.classList.remove("over"));
      li.addEventListener("drop", (e) => {
        e.preventDefault();
        li.classList.remove("over");
        const from = dragged || Number(e.dataTransfer.getData("text/plain"));
        if (from && from !== c.number) act.move(from, c.number);
      });
      li.addEventListener("keydown", (e) => {
        if (e.target !== li) return;
        if (e.altKey && e.key === "ArrowUp") act.move(c.number, c.number - 1);
        else if (e.altKey && e.key === "ArrowDown") act.move(c.number, c.number + 1);
        else if (e.key === "Delete") act.remove(c.number);
        else return;
        e.preventDefault();
      });
      return li;
    }),
  );
}

export function renderHistory(list, history, words, restore) {
  list.replaceChildren(
    ...[...history].reverse().map((v) =>
      el(
        "li",
        { class: v.current ? "current" : "" },
        el("span", { text: `v${v.number} · ${v.what}` }),
        v.current
          ? null
          : el("button", { type: "button", text: words.restore, onclick: () => restore(v.number) }),
      ),
    ),
  );
}

function curveSvg(footage, chosen) {
  const w = 600;
  const h = 80;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("class", "curve");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", footage.name);
  const x = (s) => (s / Math.max(footage.duration_s, 0.001)) * w;
  for (const c of chosen) {
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", x(c.source_in_ms / 1000));
    r.setAttribute("width", Math.max(x((c.source_out_ms - c.source_in_ms) / 1000), 1));
    r.setAttribute("y", 0);
    r.setAttribute("height", h);
    r.setAttribute("class", "chosen");
    svg.append(r);
  }
  const n = footage.curve.length;
  const top = Math.max(...footage.curve, 1e-6);
  const points = footage.curve
    .map((v, i) => `${((i + 0.5) / n) * w},${h - 4 - (v / top) * (h - 8)}`)
    .join(" ");
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", points);
  line.setAttribute("class", "line");
  svg.append(line);
  for (const m of footage.moments) {
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", x(m.peak_s));
    dot.setAttribute("cy", 6);
    dot.setAttribute("r", 3);
    dot.setAttribute("class", "peak");
    svg.append(dot);
  }
  return svg;
}

export function renderWhy(box, footage, draft, words, watch) {
  const clips = draftClips(draft);
  box.replaceChildren(
    ...footage.map((f) =>
      el(
        "div",
        { class: "footage-why" },
        el("h3", { text: f.name }),
        curveSvg(f, clips.filter((c) => c.media_id === f.media_id)),
        el(
          "ol",
          { class: "moments" },
          ...f.moments.map((m) =>
            el(
              "li",
              {},
              el(
                "button",
                {
                  type: "button",
                  class: "moment",
                  onclick: () => watch(f, m),
                  "aria-label": `${words.watch} ${m.start_s.toFixed(1)}–${m.end_s.toFixed(1)} s`,
                },
                el("img", { src: `${f.files}/still.jpg?t=${m.peak_s.toFixed(2)}`, alt: "", width: "96", height: "54", loading: "lazy" }),
                el(
                  "span",
                  { class: "moment-text" },
                  el("strong", { text: `${m.start_s.toFixed(1)}–${m.end_s.toFixed(1)} s` }),
                  el("span", { text: `${words.score} ${m.score.toFixed(3)}` }),
                  el("span", { class: "muted small", text: m.why }),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
