// Journal: newest first, filtered by API, site, status and token. A usersync entry shows its
// decoded request, each team's StatusCode and the roster diff the call caused (from
// GET /__admin/usersync-runs, matched to the entry by time and teams); a refusal its reason.
import { get } from "./api.js";
import { badge, field, h, select, statusBadge, table, when } from "./ui.js";

const open = new Set();

export function mount(el) {
  const api = select({ id: "journal-api" }, [["", "any API"], ["v3", "v3"], ["usersync", "usersync"], ["admin", "control API"], ["other", "other"]], "");
  const site = h("input", { id: "journal-site", placeholder: "productone", size: 12 });
  const status = h("input", { id: "journal-status", placeholder: "503, 4xx, dropped", size: 12 });
  const token = h("input", { id: "journal-token", placeholder: "ada", size: 10 });
  const list = h("div", { id: "journal-list" });
  const filters = h("form", { class: "toolbar", id: "journal-filters" }, field("API", api), field("Site", site), field("Status", status), field("Token starts with", token));
  el.append(filters, list);
  let last = null;
  const refresh = async () => {
    const q = new URLSearchParams({ limit: "200" });
    if (api.value) q.set("api", api.value);
    if (site.value.trim()) q.set("site", site.value.trim());
    if (status.value.trim()) q.set("status", status.value.trim());
    const [journal, runs] = await Promise.all([get(`__admin/requests?${q}`), get("__admin/usersync-runs")]);
    last = { journal, runs };
    draw();
  };
  const draw = () => last && render(last.journal, last.runs.runs, token.value.trim().toLowerCase(), list);
  filters.addEventListener("submit", (ev) => ev.preventDefault());
  for (const input of [api, site, status]) input.addEventListener("change", refresh);
  token.addEventListener("input", draw);
  return { refresh };
}

function render(journal, runs, token, list) {
  const matched = matchRuns(journal.requests, runs);
  const entries = journal.requests.filter((e) => !token || tokensOf(e).some((t) => t.startsWith(token))).reverse();
  const rows = [];
  for (const e of entries) {
    const toggle = () => {
      open.has(e.seq) ? open.delete(e.seq) : open.add(e.seq);
      render(journal, runs, token, list);
    };
    rows.push(
      h(
        "tr",
        { class: `entry ${open.has(e.seq) ? "open" : ""}`, "data-seq": e.seq, onclick: toggle },
        h("td", {}, String(e.seq)),
        h("td", {}, when(e.time)),
        h("td", {}, e.method),
        h("td", { class: "path" }, e.path, e.query ? h("span", { class: "muted" }, `?${e.query}`) : null),
        h("td", {}, statusBadge(e.status)),
        h("td", {}, e.api),
        h("td", {}, e.sites.join(", ")),
        h("td", {}, e.faults.map((f) => badge(f, "warn"))),
        h("td", { class: "num" }, `${e.durationMs.toFixed(1)} ms`),
        h("td", {}, summary(e, matched.get(e.seq))),
      ),
    );
    if (open.has(e.seq)) rows.push(h("tr", { class: "detail" }, h("td", { colspan: 10 }, details(e, matched.get(e.seq)))));
  }
  list.replaceChildren(
    h("p", { class: "muted" }, `${journal.total} matching · ${journal.dropped} dropped · newest first · click an entry for its details`),
    table(["seq", "time (mock clock)", "method", "path", "status", "api", "sites", "faults", "took", ""], rows, { id: "journal" }),
  );
}

// The masked credentials an entry carries (each at most 3 characters).
function tokensOf(e) {
  const found = [];
  for (const [k, v] of Object.entries(e.headers || {})) {
    if (/authorization|token|key/i.test(k)) found.push(v.replace(/^Bearer /i, "").replace("…", "").toLowerCase());
  }
  const body = decoded(e);
  if (body && typeof body === "object" && body.access_token) found.push(String(body.access_token).replace("…", "").toLowerCase());
  for (const m of (e.query || "").matchAll(/token=([^&]*)/gi)) found.push(decodeURIComponent(m[1]).replace("…", "").toLowerCase());
  return found;
}

function decoded(e) {
  if (e.api !== "usersync" || !e.body) return null;
  try {
    return JSON.parse(e.body);
  } catch (_) {
    return null;
  }
}

// Each usersync entry answered 200 gets the earliest unclaimed run at or after its arrival
// that names the same teams.
function matchRuns(entries, runs) {
  const out = new Map();
  const claimed = new Set();
  for (const e of entries) {
    if (e.api !== "usersync" || e.status !== 200) continue;
    const at = Date.parse(e.time);
    const teams = e.sites.join("\n").toLowerCase();
    const run = runs.find(
      (r) => !claimed.has(r.seq) && Date.parse(r.time) >= at && r.teams.map((t) => t.team || "").join("\n").toLowerCase() === teams,
    );
    if (run) {
      claimed.add(run.seq);
      out.set(e.seq, run);
    }
  }
  return out;
}

// The per-team StatusCodes: the entry's own `outcomes` when the journal has them, else the run's.
function teamCodes(e, run) {
  if (Array.isArray(e.outcomes)) {
    return e.outcomes.map((o) => [o.team || o.Team || "", o.statusCode || o.StatusCode || o.status || JSON.stringify(o)]);
  }
  return run ? run.teams.map((t) => [t.team || "(no team)", t.statusCode]) : [];
}

function summary(e, run) {
  const parts = [];
  if (e.reason) parts.push(h("span", { class: "reason" }, e.reason));
  for (const [team, code] of teamCodes(e, run)) {
    const bad = !/^Success/.test(code);
    parts.push(badge(`${team}: ${code}`, bad ? "bad" : "ok"));
  }
  if (run && run.dryRun) parts.push(badge("dry run"));
  return parts;
}

function details(e, run) {
  const body = decoded(e);
  const blocks = [];
  if (e.reason) blocks.push(h("p", { class: "reason" }, `Refused: ${e.reason}`));
  if (body && Array.isArray(body.requestsJson)) {
    blocks.push(h("h4", {}, `Usersync request (dryRun: ${body.dryRun === undefined ? "absent → real run" : body.dryRun})`));
    blocks.push(
      table(
        ["team", "members sent"],
        body.requestsJson.map((t) => [
          h("code", {}, String(t.Team ?? t.team ?? "(none)")),
          Array.isArray(t.Members) ? t.Members.map((m) => `${m.UserIdentifier} (${m.Level || "Member"})`).join(", ") || "(empty: removes everyone)" : JSON.stringify(t.Members),
        ]),
      ),
    );
  }
  if (run) blocks.push(diff(run));
  else if (e.api === "usersync" && e.status === 200) blocks.push(h("p", { class: "muted" }, "The roster changes of this call are no longer kept."));
  blocks.push(h("h4", {}, "Headers (credentials masked)"));
  blocks.push(h("pre", {}, Object.entries(e.headers).map(([k, v]) => `${k}: ${v}`).join("\n")));
  if (e.body && !body) blocks.push(h("h4", {}, "Body"), h("pre", {}, e.body));
  if (body) blocks.push(h("h4", {}, "Body, decoded"), h("pre", {}, JSON.stringify(body, null, 2)));
  return h("div", { class: "entry-detail" }, blocks);
}

// The roster diff of a usersync call, per team.
function diff(run) {
  const label = run.dryRun ? "What a real run would change (dry run: nothing changed)" : "Roster diff (applied)";
  return h(
    "div",
    { class: "diff" },
    h("h4", {}, label),
    run.teams.map((t) => {
      const by = (kind) => t.changes.filter((c) => c.change === kind);
      const who = (c) => `${c.name || "account " + c.accountId}${c.to ? " as " + c.to : ""}`;
      return h(
        "div",
        { class: "team-diff", "data-team": t.team || "" },
        h("p", {}, h("code", {}, t.team || "(no team)"), " ", badge(t.statusCode, /^Success/.test(t.statusCode) ? "ok" : "bad"), h("span", { class: "muted" }, ` ${t.unchanged} unchanged`)),
        h(
          "ul",
          {},
          by("AddToSite").map((c) => h("li", { class: "added" }, "+ added ", who(c))),
          by("RemoveFromSite").map((c) => h("li", { class: "removed" }, `− removed ${c.name || c.accountId} (was ${c.from})`)),
          by("ChangeUserType").map((c) => h("li", { class: "changed" }, `~ ${c.name || c.accountId}: ${c.from} → ${c.to}`)),
          t.changesLeftOut ? h("li", { class: "muted" }, `… and ${t.changesLeftOut} more`) : null,
        ),
      );
    }),
  );
}
