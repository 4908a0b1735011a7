// World: the sites, and for the chosen one its users with roles, its groups with members and
// its SMEs per tag; a search box filters them all and says where else it matched.
import { get } from "./api.js";
import { badge, h, table } from "./ui.js";

let chosen = null;

export function mount(el) {
  const search = h("input", { type: "search", id: "world-search", placeholder: "Search users, groups, tags…" });
  const sites = h("div", { class: "chips", id: "sites" });
  const detail = h("div", { id: "site-detail" });
  el.append(h("div", { class: "toolbar" }, search), sites, detail);
  let state = null;
  const draw = () => state && render(state, search.value.trim().toLowerCase(), sites, detail);
  search.addEventListener("input", draw);
  return {
    async refresh() {
      state = await get("__admin/state");
      draw();
    },
  };
}

function render(state, query, sitesEl, detailEl) {
  const accounts = new Map(state.accounts.map((a) => [a.accountId, a]));
  if (!state.sites.some((s) => s.slug === chosen)) chosen = state.sites[0] && state.sites[0].slug;
  const views = state.sites.map((site) => siteView(site, accounts, query));
  sitesEl.replaceChildren(
    ...views.map(({ site, hits }) =>
      h(
        "button",
        { class: `chip ${site.slug === chosen ? "active" : ""}`, "data-site": site.slug, onclick: () => { chosen = site.slug; render(state, query, sitesEl, detailEl); } },
        h("b", {}, site.name),
        " ",
        h("span", { class: "muted" }, `${site.slug} · ${kindName(site.kind)}`),
        query ? badge(`${hits}`, hits ? "ok" : "") : null,
      ),
    ),
  );
  const view = views.find((v) => v.site.slug === chosen);
  detailEl.replaceChildren(view ? view.node : h("p", {}, "No sites."));
}

const kindName = (kind) =>
  ({ enterprise: "Enterprise main site", privateTeam: "private team", business: "Business team", basic: "Basic team" })[kind] || kind;

function siteView(site, accounts, query) {
  const users = new Map(site.users.map((u) => [u.id, u]));
  const person = (id) => {
    const u = users.get(id);
    const a = u && accounts.get(u.accountId);
    return a ? a.name : `user ${id}`;
  };
  const groups = new Map(site.userGroups.map((g) => [g.id, g]));
  const tags = new Map(site.tags.map((t) => [t.id, t]));
  const matches = (...texts) => !query || texts.some((t) => t && String(t).toLowerCase().includes(query));

  const userRows = site.users
    .map((u) => ({ u, a: accounts.get(u.accountId) || {} }))
    .filter(({ u, a }) => matches(a.name, a.email, a.externalId, u.role, u.jobTitle, u.department))
    .map(({ u, a }) => [
      String(u.id),
      h("span", {}, a.name, a.isDeactivated ? badge("deactivated", "bad") : null),
      badge(u.role, u.role === "Admin" ? "admin" : u.role === "Moderator" ? "mod" : ""),
      a.externalId || "",
      a.email || "",
      [u.jobTitle, u.department].filter(Boolean).join(", "),
    ]);
  const groupRows = site.userGroups
    .map((g) => ({ g, members: [...g.userIds].map(person) }))
    .filter(({ g, members }) => matches(g.name, g.description, ...members))
    .map(({ g, members }) => [String(g.id), h("b", {}, g.name), members.join(", ") || h("span", { class: "muted" }, "no members")]);
  const smeRows = site.subjectMatterExperts
    .map((s) => ({ s, tag: tags.get(s.tagId), people: s.userIds.map(person), teams: s.userGroupIds.map((id) => (groups.get(id) || {}).name || `group ${id}`) }))
    .filter(({ tag, people, teams }) => matches(tag && tag.name, ...people, ...teams))
    .map(({ s, tag, people, teams }) => [h("code", {}, tag ? tag.name : `tag ${s.tagId}`), people.join(", "), teams.join(", ")]);
  const hits = userRows.length + groupRows.length + smeRows.length;

  const flags = h(
    "p",
    { class: "flags" },
    badge(kindName(site.kind)),
    badge(site.smesEnabled ? "SMEs enabled" : "SMEs disabled", site.smesEnabled ? "ok" : "warn"),
    site.kind === "privateTeam" ? badge(site.userSyncEnabled ? "usersync enabled" : "usersync disabled", site.userSyncEnabled ? "ok" : "warn") : null,
    site.kind === "basic" ? badge("read-only API", "warn") : null,
    h("span", { class: "muted" }, `${site.users.length} users · ${site.tags.length} tags · ${site.userGroups.length} groups`),
  );
  const node = h(
    "section",
    { class: "site", "data-site": site.slug },
    h("h2", {}, site.name, " ", h("code", {}, site.slug)),
    flags,
    h(
      "div",
      { class: "columns" },
      h("div", {}, h("h3", {}, `Users (${userRows.length})`), table(["id", "name", "role", "external id", "email", "title"], userRows, { id: "users" })),
      h(
        "div",
        {},
        h("h3", {}, `Groups (${groupRows.length})`),
        table(["id", "group", "members"], groupRows, { id: "groups" }),
        h("h3", {}, `SMEs per tag (${smeRows.length})`),
        site.smesEnabled ? table(["tag", "users", "groups"], smeRows, { id: "smes" }) : h("p", { class: "muted" }, "SMEs are disabled on this site (every SME route answers 422)."),
      ),
    ),
  );
  return { site, hits, node };
}
