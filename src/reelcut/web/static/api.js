// The HTTP API as the page uses it: the same endpoints every client uses (token, session,
// uploads, /run_sse, state, renders) plus /api/web/* (moments, hand edits, history, exports).

const store = window.localStorage;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function clientId() {
  let id = store.getItem("reelcut.client");
  if (!id) {
    id = "web-" + crypto.getRandomValues(new Uint32Array(4)).join("-");
    store.setItem("reelcut.client", id);
  }
  return id;
}

export function token() {
  return store.getItem("reelcut.key") || store.getItem("reelcut.token") || "";
}

async function envelope(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || !body || body.code !== 0) {
    const code = body && typeof body.code === "number" ? body.code : response.status;
    const message = (body && body.message) || response.statusText || "request failed";
    throw new ApiError(response.status, code, message);
  }
  return body.data;
}

export async function call(method, path, body, bearer = token()) {
  const headers = { Authorization: "Bearer " + bearer };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return envelope(await fetch(path, init));
}

// A token that works: the API key if one was entered, else the remembered anonymous token,
// else a new anonymous token (a fresh client id if this one already had its token).
export async function ensureToken() {
  if (token()) {
    try {
      return await call("GET", "/api/web/me");
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 1001) throw e;
      if (store.getItem("reelcut.key")) throw e;
      store.removeItem("reelcut.token");
      store.removeItem("reelcut.session");
    }
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await fetch("/api/auth/anonymous-token", {
      method: "POST",
      headers: { "X-Client-Id": clientId() },
    });
    try {
      const data = await envelope(response);
      store.setItem("reelcut.token", data.token);
      return await call("GET", "/api/web/me");
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 429 || attempt) throw e;
      store.removeItem("reelcut.client"); // this id's token was lost: ask as a new client once
    }
  }
  throw new ApiError(0, 0, "no token");
}

export async function ensureSession(lang) {
  const saved = store.getItem("reelcut.session");
  if (saved) {
    try {
      await call("GET", `/api/state/nemo_agent/me/${saved}/latest`);
      return saved;
    } catch (e) {
      if (!(e instanceof ApiError) || (e.code !== 1002 && e.code !== 1001)) throw e;
    }
  }
  return newSession(lang);
}

export async function newSession() {
  // language null: the agent answers in the language of each message (EN or ZH)
  const data = await call("POST", "/api/tasks/me/with-session/nemo_agent", {
    task_name: "web",
    language: null,
  });
  store.setItem("reelcut.session", data.session_id);
  return data.session_id;
}

// Multipart upload with progress (fetch has no upload progress; XMLHttpRequest does).
export function upload(sid, files, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/upload-video/nemo_agent/me/${sid}`);
    xhr.setRequestHeader("Authorization", "Bearer " + token());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 0, "network error during upload"));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 200 && body && body.code === 0) resolve(body.data);
      else
        reject(new ApiError(xhr.status, (body && body.code) || xhr.status, (body && body.message) || "upload failed"));
    };
    xhr.send(form);
  });
}

// One chat message; each ADK event is handed to onEvent as it arrives.
export async function chat(sid, text, onEvent) {
  const response = await fetch("/run_sse", {
    method: "POST",
    headers: { Authorization: "Bearer " + token(), "Content-Type": "application/json" },
    body: JSON.stringify({
      app_name: "nemo_agent",
      user_id: "me",
      session_id: sid,
      new_message: { role: "user", parts: [{ text }] },
      streaming: true,
    }),
  });
  if (!response.ok) return envelope(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of block.split("\n")) {
        if (line.startsWith("data: ")) onEvent(JSON.parse(line.slice(6)));
      }
    }
  }
}

// A file behind the bearer token (NLE exports) saved through a temporary link.
export async function download(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
  if (!response.ok) return envelope(response);
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "reel";
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
