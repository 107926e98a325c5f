// DocStore Notes: a page on the app's HTTP API, no build step. Text from documents is always inserted
// with textContent; only server-sanitized HTML (rendered documents, encoded snippets) uses innerHTML.
"use strict";
const $ = (id) => document.getElementById(id);
let current = null;      // the document shown: { id, version, title, content, tags }
let searchTimer = 0;
let searchSeq = 0;        // answers to older keystrokes are dropped
let showDeleted = false;  // the list shows deleted notes (with a restore button) instead of live ones

async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401 && url !== "/api/session") {
    $("signin").hidden = false;
    $("api-key").focus();
  }
  if (!response.ok) {
    const error = new Error((data && (data.title + (data.detail ? " " + data.detail : ""))) || response.statusText);
    error.status = response.status;
    error.problem = data;
    throw error;
  }
  return data;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function li(children, onClick) {
  const item = document.createElement("li");
  children.forEach((c) => item.appendChild(c));
  if (onClick) item.addEventListener("click", onClick);
  return item;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function refresh() {
  const q = $("search").value.trim();
  const tag = $("tag").value.trim();
  const seq = ++searchSeq;
  try {
    const params = new URLSearchParams();
    if (tag) params.set("tag", tag);
    let items, total;
    if (showDeleted) {
      params.set("status", "Deleted");
      const result = await api("GET", "/api/documents?" + params);
      items = result.items; total = result.totalCount;
    } else if (q) {
      params.set("q", q);
      const result = await api("GET", "/api/search?" + params);
      items = result.items; total = result.totalCount;
    } else {
      const result = await api("GET", "/api/documents?" + params);
      items = result.items; total = result.totalCount;
    }
    if (seq !== searchSeq) return;
    showError("");
    $("summary").textContent = `${total} ${showDeleted ? "deleted " : ""}document${total === 1 ? "" : "s"}` + (q && !showDeleted ? ` match “${q}”` : "");
    const hits = $("hits");
    hits.replaceChildren(...items.map((hit) => {
      const snippet = el("div", "snippet");
      if (hit.snippet !== undefined) snippet.innerHTML = hit.snippet; // HTML-encoded by the server, <mark> added after
      const title = el("div", "hit-title", hit.title);
      const meta = el("div", "meta", `${hit.type} · v${hit.version}` + (hit.tags.length ? " · " + hit.tags.join(", ") : ""));
      if (showDeleted) {
        const restore = el("button", "restore-deleted", "Restore");
        restore.addEventListener("click", async () => { await api("POST", `/api/documents/${hit.id}/restore`); await refresh(); });
        const item = li([title, meta, restore]);
        item.dataset.id = hit.id;
        return item;
      }
      const item = li([title, snippet, meta], () => open(hit.id));
      item.dataset.id = hit.id;
      return item;
    }));
  } catch (e) {
    if (seq === searchSeq) showError(e.message);
  }
}

async function open(id) {
  const [doc, rendered] = await Promise.all([api("GET", `/api/documents/${id}`), api("GET", `/api/documents/${id}/html`)]);
  current = doc;
  $("detail").hidden = false;
  $("view").hidden = false;
  $("editor").hidden = true;
  $("versions").hidden = true;
  $("title").textContent = doc.title;
  $("meta").textContent = `${doc.type} · version ${doc.version} · updated ${new Date(doc.updatedAt).toLocaleString()}`;
  $("notice").textContent = rendered.notice || "";
  $("notice").hidden = !rendered.notice;
  $("body").innerHTML = rendered.html; // Markdig output through HtmlSanitizer on the server
}

function edit(doc) {
  current = doc || null;
  $("detail").hidden = false;
  $("view").hidden = true;
  $("versions").hidden = true;
  $("editor").hidden = false;
  $("conflict").hidden = true;
  $("edit-title").value = doc ? doc.title : "";
  $("edit-tags").value = doc ? doc.tags.join(", ") : "";
  $("edit-content").value = doc ? doc.content : "";
}

async function save(event) {
  event.preventDefault();
  const tags = $("edit-tags").value.split(",").map((t) => t.trim()).filter((t) => t);
  const fields = { title: $("edit-title").value, content: $("edit-content").value, tags };
  try {
    const saved = current
      ? await api("PUT", `/api/documents/${current.id}`, { ...fields, expectedVersion: current.version })
      : await api("POST", "/api/documents", { ...fields, type: "note" });
    await open(saved.id);
    await refresh();
  } catch (e) {
    if (e.status === 409) {
      // Someone saved first: say so, show their version, keep this text in the editor to merge by hand.
      const theirs = await api("GET", `/api/documents/${current.id}`);
      $("conflict").textContent = `Someone saved version ${theirs.version} first. Their text is below your edit; save again to replace it.`;
      $("conflict").hidden = false;
      $("edit-content").value = $("edit-content").value + "\n\n----- version " + theirs.version + " -----\n" + theirs.content;
      current = theirs;
    } else if (e.status === 400 && e.problem && e.problem.errors) {
      showError(Object.entries(e.problem.errors).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; "));
    } else {
      showError(e.message);
    }
  }
}

async function history() {
  const versions = await api("GET", `/api/documents/${current.id}/versions`);
  $("versions").hidden = false;
  $("diff").replaceChildren();
  $("version-list").replaceChildren(...versions.slice().reverse().map((v) => {
    const text = el("span", "", `v${v.version} · ${v.title} · ${v.actor} · ${new Date(v.createdAt).toLocaleString()} `);
    const children = [text];
    if (v.version > 1) {
      const diff = el("button", "diff-button", `diff ${v.version - 1}→${v.version}`);
      diff.addEventListener("click", () => showDiff(v.version - 1, v.version));
      children.push(diff);
    }
    if (v.version !== current.version) {
      const restore = el("button", "restore-button", "restore");
      restore.addEventListener("click", async () => { await api("POST", `/api/documents/${current.id}/restore?version=${v.version}`); await open(current.id); await history(); await refresh(); });
      children.push(restore);
    }
    return li(children);
  }));
}

async function showDiff(from, to) {
  const diff = await api("GET", `/api/documents/${current.id}/diff?from=${from}&to=${to}`);
  $("diff").replaceChildren(...diff.lines.map((line) => el("span", line.kind, (line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  ") + line.text)));
}

$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(refresh, 120); });
$("tag").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(refresh, 200); });
$("new").addEventListener("click", () => edit(null));
$("edit").addEventListener("click", () => edit(current));
$("cancel").addEventListener("click", () => (current ? open(current.id) : ($("detail").hidden = true)));
$("history").addEventListener("click", history);
$("delete").addEventListener("click", async () => {
  if (!confirm(`Delete “${current.title}”? It can be restored from Deleted notes.`)) return;
  await api("DELETE", `/api/documents/${current.id}`);
  $("detail").hidden = true;
  current = null;
  await refresh();
});
$("show-deleted").addEventListener("click", async () => {
  showDeleted = !showDeleted;
  $("show-deleted").setAttribute("aria-pressed", String(showDeleted));
  $("show-deleted").textContent = showDeleted ? "Back to notes" : "Deleted notes";
  $("detail").hidden = true;
  await refresh();
});
$("signin").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/api/session", { apiKey: $("api-key").value });
    $("api-key").value = "";
    $("signin").hidden = true;
    await updateSession();
    await refresh();
  } catch (e) {
    showError(e.message);
  }
});
$("signout").addEventListener("click", async () => { await api("DELETE", "/api/session"); await updateSession(); await refresh(); });

async function updateSession() {
  const session = await api("GET", "/api/session");
  $("signout").hidden = !(session.signInRequired && session.user);
}
$("editor").addEventListener("submit", save);
updateSession().then(refresh, (e) => showError(e.message));
