// The page: a token and a session remembered by the browser, uploads, the reel's quick preview
// (re-rendered small after every edit), hand edits, chat over /run_sse, exports.
import { ApiError, call, chat, download, ensureSession, ensureToken, newSession, sleep, upload } from "./api.js";
import { WORDS, pickLanguage, translate } from "./i18n.js";
import { draftClips, el, renderClips, renderHistory, renderUploads, renderWhy } from "./views.js";

const $ = (sel) => document.querySelector(sel);
const PREVIEW_HEIGHT = 360;
const EXPORT_HEIGHT = 1080;

const page = {
  lang: pickLanguage(),
  sid: null,
  me: null,
  state: null,
  draftKey: "",
  project: null,
  files: {},
  momentsKey: "",
  footage: [],
  previewId: null,
  autoMade: false,
  busy: false,
  lengthTouched: false,
};
const words = () => WORDS[page.lang];

function hash(text) {
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

function notify(message, kind = "error") {
  const box = $("#notice");
  box.replaceChildren(message);
  box.dataset.kind = kind;
  box.hidden = !message;
}

function showError(e) {
  if (e instanceof ApiError && e.code === 2001) return noCredits();
  if (e instanceof ApiError && (e.status === 409 || e.status === 429)) return notify(`${words().busy} (${e.message})`);
  notify(`${words().error}: ${e.message || e}`);
}

function noCredits() {
  const link = `${location.origin}/?bind=${page.sid}`;
  const [before, after] = words().no_credits.split("{link}");
  const box = $("#notice");
  box.replaceChildren(before, el("a", { href: link, text: link }), after);
  box.dataset.kind = "error";
  box.hidden = false;
  $("#key-box").open = true;
  $("#key-form [name=key]").focus();
}

function showPlan() {
  const me = page.me;
  if (!me) return;
  const w = words();
  const plan = me.kind === "anonymous" ? w.plan_anon : `${w.plan_key} (${me.name})`;
  const credits = `${w.credits}: ${me.credits.available}` + (me.credits.frozen ? ` (+${me.credits.frozen})` : "");
  $("#plan").textContent = `${plan} · ${credits}` + (me.export_allowed ? "" : ` · ${w.no_export}`);
}

async function refreshMe() {
  try {
    page.me = await call("GET", "/api/web/me");
    showPlan();
  } catch {
    /* shown on the next action */
  }
}

// -- edits -----------------------------------------------------------------------------------

async function withBusy(work) {
  if (page.busy) return;
  page.busy = true;
  document.body.setAttribute("aria-busy", "true");
  try {
    notify("");
    await work();
  } catch (e) {
    showError(e);
  } finally {
    page.busy = false;
    document.body.removeAttribute("aria-busy");
  }
}

async function edit(requests) {
  await withBusy(async () => {
    const project = await call("POST", `/api/web/sessions/${page.sid}/edit`, { requests });
    showProject(project);
  });
}

async function historyStep(body) {
  await withBusy(async () => {
    showProject(await call("POST", `/api/web/sessions/${page.sid}/history`, body));
  });
}

const actions = {
  move: (index, to) => {
    const count = draftClips(page.project && page.project.draft).length;
    if (to < 1 || to > count || to === index) return;
    edit([{ op: "move_clip", index, to }]);
  },
  trim: (index, head_ms, tail_ms) => edit([{ op: "trim_clip", index, head_ms, tail_ms }]),
  swap: (index) => edit([{ op: "next_best", index }]),
  remove: (index) => edit([{ op: "remove_clip", index }]),
};

function uploadNames() {
  const infos = (page.state && page.state.video_infos) || [];
  return Object.fromEntries(infos.map((v) => [v.id, v.name]));
}

function showProject(project) {
  page.project = project;
  page.files = project.files || {};
  page.draftKey = JSON.stringify(project.draft);
  const w = words();
  renderClips($("#clips"), project.draft, page.files, uploadNames(), w, actions);
  renderHistory($("#history"), project.history, w, (number) => historyStep({ restore: number }));
  $("#undo").disabled = !project.can_undo;
  $("#redo").disabled = !project.can_redo;
  const draft = project.draft;
  if (draft) {
    const m = draft.m;
    $("#format-form [name=aspect]").value = m.aspect;
    $("#format-form [name=reframe]").value = m.reframe;
    $("#length-form [name=seconds]").value = Math.round(draft.d / 1000);
    if (page.footage.length) renderWhy($("#footage-why"), page.footage, draft, w, watch);
    preview(draft);
  }
}

// -- preview and export: renders of the draft through the render API --------------------------

function sized(draft, height) {
  const copy = JSON.parse(JSON.stringify(draft));
  copy.m.height = height;
  return copy;
}

async function render(id, draft, quality, onProgress) {
  let job;
  for (;;) {
    try {
      job = await call("POST", "/api/render/proxy/lambda", {
        id,
        sessionId: page.sid,
        draft,
        output: { format: "mp4", quality },
      });
      break;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 429) throw e;
      await sleep(1500); // the account's render slots are busy (a preview and an export)
    }
  }
  while (job.status === "queued" || job.status === "rendering") {
    onProgress(job.progress);
    await sleep(1000);
    job = await call("GET", `/api/render/proxy/lambda/${id}`);
  }
  if (job.status !== "completed") throw new ApiError(500, 5001, job.error || "render failed");
  onProgress(1);
  return job;
}

async function preview(draft) {
  const small = sized(draft, PREVIEW_HEIGHT);
  const id = "pv-" + hash(page.sid + JSON.stringify(small));
  if (id === page.previewId) return;
  page.previewId = id;
  const status = $("#preview-status");
  status.textContent = words().preview_wait;
  try {
    const job = await render(id, small, "preview", (p) => {
      if (page.previewId === id) status.textContent = `${words().preview_wait} ${Math.round(p * 100)}%`;
    });
    if (page.previewId !== id) return; // a newer edit asked for a newer preview
    const video = $("#preview");
    video.src = job.output.url;
    video.dataset.renderId = id;
    status.textContent = `${words().preview_ready} ${page.project ? page.project.version : ""}`;
    video.play().catch(() => {});
  } catch (e) {
    if (page.previewId === id) page.previewId = null;
    showError(e);
  }
}

async function exportReel() {
  if (!page.project || !page.project.draft) return;
  const bar = $("#export-progress");
  const link = $("#download");
  link.hidden = true;
  bar.hidden = false;
  bar.value = 0;
  const draft = sized(page.project.draft, EXPORT_HEIGHT);
  const id = "ex-" + hash(page.sid + JSON.stringify(draft));
  try {
    const job = await render(id, draft, "high", (p) => (bar.value = p));
    link.href = job.output.url;
    link.setAttribute("download", `reel-v${page.project.version}.mp4`);
    link.hidden = false;
    link.focus();
  } catch (e) {
    showError(e);
  } finally {
    bar.hidden = true;
  }
}

// -- moments ---------------------------------------------------------------------------------

function watch(footage, moment) {
  const player = $("#source-player");
  player.hidden = false;
  player.src = `${footage.files}/source#t=${moment.start_s.toFixed(2)},${moment.end_s.toFixed(2)}`;
  player.play().catch(() => {});
}

async function loadMoments(done) {
  const key = done.join(",");
  if (key === page.momentsKey) return;
  page.momentsKey = key;
  try {
    page.footage = await call("GET", `/api/web/sessions/${page.sid}/moments`);
    renderWhy($("#footage-why"), page.footage, page.project && page.project.draft, words(), watch);
  } catch (e) {
    page.momentsKey = "";
    showError(e);
  }
}

// -- the session's state, polled --------------------------------------------------------------

function defaultLength(videos) {
  const total = videos.reduce((s, v) => s + v.duration, 0);
  return Math.max(1, Math.min(30, Math.floor(total * 0.6)));
}

async function makeReel(seconds) {
  await withBusy(async () => {
    $("#preview-status").textContent = words().making;
    showProject(await call("POST", `/api/web/sessions/${page.sid}/edit`, { requests: [{ op: "set_length", seconds }] }));
  });
}

async function refresh() {
  const data = await call("GET", `/api/state/nemo_agent/me/${page.sid}/latest`);
  const state = data.state;
  page.state = state;
  renderUploads($("#uploads"), state.video_infos, words());
  const videos = state.video_infos.filter((v) => v.kind === "video");
  const done = videos.filter((v) => v.analysis_status === "completed").map((v) => v.id);
  if (!page.lengthTouched && videos.length) $("#make-form [name=seconds]").value = defaultLength(videos);
  if (JSON.stringify(state.draft) !== page.draftKey && !page.busy) {
    showProject(await call("GET", `/api/web/sessions/${page.sid}/project`));
  }
  if (done.length) await loadMoments(done);
  const settled = videos.length && done.length === videos.length;
  if (settled && !state.draft && !state.editing && !page.autoMade && !page.busy) {
    page.autoMade = true;
    await makeReel(Number($("#make-form [name=seconds]").value) || defaultLength(videos));
  }
  const active = videos.some((v) => v.analysis_status === "queued" || v.analysis_status === "running");
  return active || state.editing;
}

async function poll() {
  for (;;) {
    let active = false;
    let wait = 0;
    try {
      active = await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) wait = 5000; // over the rate limit: back off
      else showError(e);
    }
    await sleep(wait || (active ? 1500 : 4000));
  }
}

// -- inputs ----------------------------------------------------------------------------------

async function sendFiles(files) {
  if (!files.length) return;
  const bar = $("#upload-bar");
  const progress = $("#upload-progress");
  bar.hidden = false;
  progress.value = 0;
  try {
    notify("");
    await upload(page.sid, files, (p) => (progress.value = p));
    progress.value = 1;
    page.autoMade = false;
    await refresh();
    refreshMe();
  } catch (e) {
    showError(e);
  } finally {
    bar.hidden = true;
  }
}

async function sendChat(text) {
  const log = $("#chat-log");
  log.append(el("li", { class: "me", text }));
  const pending = el("li", { class: "agent thinking", text: words().thinking });
  log.append(pending);
  log.scrollTop = log.scrollHeight;
  try {
    await chat(page.sid, text, (event) => {
      for (const part of (event.content && event.content.parts) || []) {
        if (part.text && part.thought) pending.textContent = part.text;
        else if (part.text) log.insertBefore(el("li", { class: event.errorMessage ? "agent error" : "agent", text: part.text }), pending);
        else if (part.functionCall) pending.textContent = `→ ${part.functionCall.name}`;
      }
      log.scrollTop = log.scrollHeight;
    });
  } catch (e) {
    showError(e);
  } finally {
    pending.remove();
  }
  await refresh().catch(showError);
  refreshMe();
}

async function useKey(key) {
  const previous = localStorage.getItem("reelcut.token");
  const bindTo = new URLSearchParams(location.search).get("bind") || page.sid;
  page.me = await call("GET", "/api/web/me", undefined, key); // the key works, or this throws
  let kept = false;
  if (previous && bindTo) {
    // 409: a job (a preview render, an analysis) is still running in the session; it ends soon
    for (let tries = 0; tries < 120 && !kept; tries++) {
      try {
        await call("POST", "/api/web/bind", { session_id: bindTo, previous_token: previous }, key);
        kept = true;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 409) break;
        await sleep(1000);
      }
    }
  }
  localStorage.setItem("reelcut.key", key);
  if (kept) {
    page.sid = bindTo;
    localStorage.setItem("reelcut.session", bindTo);
    notify(words().bound, "ok");
  } else {
    page.sid = await newSession();
    notify("");
  }
  document.body.dataset.session = page.sid;
  history.replaceState(null, "", "/");
  $("#key-box").open = false;
  showPlan();
  await refresh();
}

function wire() {
  const input = $("#files");
  input.addEventListener("change", () => sendFiles([...input.files]).then(() => (input.value = "")));
  const drop = $("#drop");
  drop.addEventListener("dragover", (e) => {
    if (![...e.dataTransfer.types].includes("Files")) return;
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    sendFiles([...e.dataTransfer.files]);
  });
  $("#url-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const url = e.target.url.value.trim();
    if (!url) return;
    $("#upload-bar").hidden = false;
    try {
      await call("POST", `/api/upload-video/nemo_agent/me/${page.sid}`, { urls: [url], source_type: "url" });
      e.target.url.value = "";
      page.autoMade = false;
      await refresh();
    } catch (err) {
      showError(err);
    } finally {
      $("#upload-bar").hidden = true;
    }
  });
  $("#make-form [name=seconds]").addEventListener("input", () => (page.lengthTouched = true));
  $("#make-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const seconds = Number(e.target.seconds.value);
    if (page.project && page.project.draft) edit([{ op: "set_length", seconds }]);
    else makeReel(seconds);
  });
  $("#length-form").addEventListener("submit", (e) => {
    e.preventDefault();
    edit([{ op: "set_length", seconds: Number(e.target.seconds.value) }]);
  });
  $("#title-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = e.target.text.value.trim();
    if (text) edit([{ op: "title", text }]);
  });
  $("#music-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const mood = e.target.mood.value;
    const volume = Number(e.target.volume.value);
    edit([mood ? { op: "music", what: mood, volume } : { op: "remove_music" }]);
  });
  $("#format-form").addEventListener("submit", (e) => {
    e.preventDefault();
    edit([{ op: "set_format", aspect: e.target.aspect.value, reframe: e.target.reframe.value }]);
  });
  $("#captions").addEventListener("click", () => edit([{ op: "captions" }]));
  $("#undo").addEventListener("click", () => historyStep({ step: "undo" }));
  $("#redo").addEventListener("click", () => historyStep({ step: "redo" }));
  $("#export").addEventListener("click", exportReel);
  for (const b of document.querySelectorAll("[data-nle]")) {
    b.addEventListener("click", () =>
      download(`/api/web/sessions/${page.sid}/exchange/${b.dataset.nle}`).catch(showError),
    );
  }
  $("#chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = e.target.message.value.trim();
    if (!text) return;
    e.target.message.value = "";
    sendChat(text);
  });
  $("#chat-form [name=message]").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      $("#chat-form").requestSubmit();
    }
  });
  $("#lang").addEventListener("click", () => {
    page.lang = page.lang === "zh" ? "en" : "zh";
    localStorage.setItem("reelcut.lang", page.lang);
    translate(document, page.lang);
    showPlan();
    if (page.project) showProject(page.project);
  });
  $("#key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = e.target.key.value.trim();
    if (key) useKey(key).catch(showError);
  });
  $("#forget-key").addEventListener("click", async () => {
    localStorage.removeItem("reelcut.key");
    localStorage.removeItem("reelcut.session");
    location.reload();
  });
  $("#new-session").addEventListener("click", async () => {
    page.sid = await newSession();
    document.body.dataset.session = page.sid;
    page.draftKey = "";
    page.momentsKey = "";
    page.footage = [];
    page.autoMade = false;
    page.project = null;
    $("#clips").replaceChildren();
    $("#footage-why").replaceChildren();
    $("#chat-log").replaceChildren();
    $("#preview").removeAttribute("src");
    await refresh().catch(showError);
  });
}

async function start() {
  translate(document, page.lang);
  wire();
  const bind = new URLSearchParams(location.search).get("bind");
  try {
    page.me = await ensureToken();
    showPlan();
    page.sid = await ensureSession();
    if (bind) {
      $("#bind-intro").hidden = false;
      $("#key-box").open = true;
    }
  } catch (e) {
    showError(e);
    return;
  }
  document.body.dataset.session = page.sid;
  poll();
}

start();
