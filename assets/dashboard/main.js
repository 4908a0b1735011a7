// The dashboard's entry: tabs, the 2-second poll of the visible view, the admin token prompt.
// Each view module exports mount(element) -> { refresh() }: it builds its forms once and
// redraws only its live part on each refresh, so typing is never lost to a poll.
import { NeedsToken, get, sandbox, setAdminToken } from "./api.js";
import { notice, when } from "./ui.js";
import * as world from "./world.js";
import * as tokens from "./tokens.js";
import * as journal from "./journal.js";
import * as faults from "./faults.js";
import * as controls from "./controls.js";

const views = { world, tokens, journal, faults, controls };
const POLL_MS = 2000;
let current = null;
let timer = null;

function show(name) {
  if (!views[name]) name = "world";
  for (const tab of document.querySelectorAll("#tabs .tab")) {
    tab.classList.toggle("active", tab.dataset.view === name);
  }
  const el = document.getElementById("view");
  el.replaceChildren();
  el.dataset.view = name;
  current = views[name].mount(el, refresh);
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  refresh();
}

async function refresh() {
  clearTimeout(timer);
  try {
    const health = await get("__admin/health");
    const where = sandbox ? `sandbox ${sandbox}` : "root";
    document.getElementById("status").textContent = `${where} · mock clock ${when(health.now)}`;
    document.getElementById("token-form").hidden = true;
    await current.refresh();
  } catch (e) {
    if (e instanceof NeedsToken) {
      askForToken();
      return;
    }
    document.getElementById("status").textContent = `not answering: ${e.message}`;
  }
  timer = setTimeout(refresh, POLL_MS);
}

function askForToken() {
  const form = document.getElementById("token-form");
  const error = document.getElementById("token-error");
  if (!form.hidden) {
    error.textContent = "That token was refused (401).";
    error.hidden = false;
  }
  form.hidden = false;
  document.getElementById("status").textContent = "waiting for the admin token";
  document.getElementById("admin-token").focus();
}

document.getElementById("token-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  setAdminToken(document.getElementById("admin-token").value);
  document.getElementById("admin-token").value = "";
  refresh();
});

for (const tab of document.querySelectorAll("#tabs .tab")) {
  tab.addEventListener("click", () => show(tab.dataset.view));
}
window.addEventListener("unhandledrejection", (ev) => {
  if (ev.reason instanceof NeedsToken) askForToken();
  else notice(String(ev.reason && ev.reason.message), "bad");
});

show(location.hash.slice(1));
