// Tokens: the PAT list as GET /__admin/tokens gives it (codes masked, as the real list never
// shows a code again), minting (the code shown once) and revoking.
import { get, post } from "./api.js";
import { act, badge, field, h, notice, select, table, when } from "./ui.js";

export function mount(el, refreshAll) {
  const account = select({ id: "mint-account" }, []);
  const kind = select({ id: "mint-kind" }, [["pat", "pat"], ["oauth", "oauth"], ["service", "service"]], "pat");
  const scope = select({ id: "mint-scope" }, []);
  const write = h("input", { type: "checkbox", id: "mint-write" });
  const expiry = select({ id: "mint-expiry" }, [["24h", "in 24 hours (mock clock)"], ["1h", "in 1 hour"], ["never", "never"]], "24h");
  const description = h("input", { id: "mint-description", placeholder: "minted from the dashboard" });
  const minted = h("div", { id: "minted" });
  const form = h(
    "form",
    { class: "card inline", id: "mint-form" },
    h("h3", {}, "Mint a token"),
    field("Owner", account),
    field("Kind", kind),
    field("Site", scope),
    field("Write", write),
    field("Expires", expiry),
    field("Description", description),
    h("button", { type: "submit" }, "Mint"),
    minted,
  );
  const list = h("div", { id: "token-list" });
  el.append(form, list);
  let state = null;

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { accountId: Number(account.value), kind: kind.value, write: write.checked };
    if (kind.value !== "oauth") body.scope = scope.value;
    if (description.value.trim()) body.description = description.value.trim();
    if (expiry.value === "never") body.expiresAt = null;
    if (expiry.value === "1h") {
      const now = new Date((await get("__admin/clock")).now);
      body.expiresAt = new Date(now.getTime() + 3600e3).toISOString();
    }
    const token = await act(null, () => post("__admin/tokens", body));
    if (!token) return;
    minted.replaceChildren(
      h("p", { class: "once" }, "Copy the code now, it is not shown again: ", h("code", { id: "minted-code" }, token.token)),
    );
    refreshAll();
  });

  return {
    async refresh() {
      const [listed, st] = await Promise.all([get("__admin/tokens"), get("__admin/state")]);
      state = st;
      fillOptions(account, st.accounts.map((a) => [a.accountId, `${a.name} (${a.accountId})`]));
      fillOptions(scope, st.sites.map((s) => [s.slug, `${s.name} (${s.slug})`]));
      list.replaceChildren(
        h("h3", {}, `Personal access tokens (${listed.tokens.length})`),
        table(
          ["code", "description", "kind", "owner", "site", "write", "expires (mock clock)", ""],
          listed.tokens.map((t) => row(t, state, refreshAll)),
          { id: "tokens" },
        ),
      );
    },
  };
}

// Refills a select's options, keeping the choice.
function fillOptions(sel, options) {
  const keep = sel.value;
  if (sel.options.length === options.length) return;
  sel.replaceChildren(...options.map(([v, t]) => h("option", { value: v }, t)));
  if (keep) sel.value = keep;
}

function row(t, state, refreshAll) {
  const swagger = t.description === "Created by Swagger UI";
  const revoke = h("button", { class: "small secondary", onclick: () => revokeToken(t, state, refreshAll) }, "Revoke");
  return h(
    "tr",
    { class: t.expired ? "expired" : "" },
    h("td", {}, h("code", {}, t.masked)),
    h("td", {}, swagger ? badge(t.description, "swagger") : t.description),
    h("td", {}, t.kind),
    h("td", {}, `${t.owner} (${t.accountId})`),
    h("td", {}, t.scope || h("span", { class: "muted" }, "main + private teams")),
    h("td", {}, t.write ? badge("write", "ok") : badge("read")),
    h("td", {}, when(t.expiresAt), t.expired ? badge("expired", "bad") : null),
    h("td", {}, revoke),
  );
}

// The list never holds a code: the revoke call finds it in the state export (which the control
// API already shows in full) by the listed token's fields.
async function revokeToken(t, state, refreshAll) {
  const code = state.tokens.find(
    (s) =>
      s.token.startsWith(t.masked.replace("…", "")) &&
      s.accountId === t.accountId &&
      (s.scope || null) === (t.scope || null) &&
      (s.description || "") === t.description &&
      s.kind === t.kind &&
      !!s.write === t.write &&
      Date.parse(s.expiresAt || 0) === Date.parse(t.expiresAt || 0),
  );
  if (!code) return notice("That token is gone already.", "bad");
  await act(`Revoked ${t.masked} (${t.description})`, () => post("__admin/tokens/revoke", { token: code.token }));
  refreshAll();
}
