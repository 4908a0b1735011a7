// Faults: the rules with their calls and hits; add one from a template that mirrors the QA
// recipes (docs/qa-recipes.md); delete one or all.
import { del, get, post } from "./api.js";
import { act, badge, field, h, select, table } from "./ui.js";

const SYNC_CODES = ["OtherError", "ErrorTryingToResolveUsers", "FailedToDetermineChanges", "ErrorApplyingChanges", "PartialSyncFailure"];

// Each template: its fields ([name, label, default]) and the rule they make.
const TEMPLATES = {
  usersync: {
    label: "usersync StatusCode for one team",
    fields: [["code", "StatusCode", "OtherError", SYNC_CODES], ["team", "Team", "productone"]],
    rule: (v) => ({ match: { api: "usersync", site: v.team }, action: { usersync: v.code, team: v.team } }),
  },
  status: {
    label: "a status on a route",
    fields: [["method", "Method", "GET"], ["path", "Path (* = anything)", "/api/v3/users*"], ["status", "Status", "503"]],
    rule: (v) => ({ match: route(v), action: { status: Number(v.status) } }),
  },
  nth: {
    label: "the Nth call fails",
    fields: [["method", "Method", "GET"], ["path", "Path (* = anything)", "/api/v3/users*"], ["status", "Status", "503"], ["nth", "Nth call", "3"]],
    rule: (v) => ({ match: route(v), action: { status: Number(v.status) }, trigger: { nth: Number(v.nth) } }),
  },
  probability: {
    label: "a seeded probability",
    fields: [["path", "Path (* = anything)", "/api/v3/*"], ["status", "Status", "500"], ["probability", "Probability (0–1)", "0.3"], ["seed", "Seed", "42"]],
    rule: (v) => ({ match: route(v), action: { status: Number(v.status) }, trigger: { probability: Number(v.probability), seed: Number(v.seed) } }),
  },
  delay: {
    label: "a delay",
    fields: [["api", "API", "v3", ["v3", "usersync"]], ["delayMs", "Delay (ms)", "2000"]],
    rule: (v) => ({ match: { api: v.api }, action: { delayMs: Number(v.delayMs) } }),
  },
  drop: {
    label: "a dropped connection",
    fields: [["method", "Method", "POST"], ["path", "Path (* = anything)", "/api/2.3/enterprise/usersync"]],
    rule: (v) => ({ match: route(v), action: { drop: true } }),
  },
};

function route(v) {
  const m = {};
  if (v.method) m.method = v.method;
  if (v.path) m.path = v.path;
  return m;
}

export function mount(el, refreshAll) {
  const template = select({ id: "fault-template" }, Object.entries(TEMPLATES).map(([k, t]) => [k, t.label]), "usersync");
  const name = h("input", { id: "fault-name", placeholder: "optional" });
  const inputs = h("span", { class: "template-fields" });
  const form = h("form", { class: "card inline", id: "fault-form" }, h("h3", {}, "Add a fault rule"), field("Template", template), inputs, field("Name", name), h("button", { type: "submit", id: "fault-add" }, "Add rule"));
  const list = h("div", { id: "fault-list" });
  el.append(form, list);
  let fields = {};
  const drawFields = () => {
    fields = {};
    inputs.replaceChildren(
      ...TEMPLATES[template.value].fields.map(([key, label, value, options]) => {
        const input = options ? select({ id: `fault-${key}` }, options.map((o) => [o, o]), value) : h("input", { id: `fault-${key}`, value, size: key === "path" ? 28 : 8 });
        fields[key] = input;
        return field(label, input);
      }),
    );
  };
  template.addEventListener("change", drawFields);
  drawFields();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(Object.entries(fields).map(([k, input]) => [k, input.value.trim()]));
    const rule = TEMPLATES[template.value].rule(values);
    if (name.value.trim()) rule.name = name.value.trim();
    const made = await act(null, () => post("__admin/faults", rule));
    if (made) {
      name.value = "";
      refreshAll();
    }
  });
  return {
    async refresh() {
      const { rules } = await get("__admin/faults");
      const rows = rules.map((r) => [
        h("b", {}, r.id),
        r.name || "",
        h("code", {}, JSON.stringify(r.match)),
        h("code", {}, JSON.stringify(r.action)),
        h("code", {}, r.trigger ? JSON.stringify(r.trigger) : "always"),
        h("span", { class: "num calls" }, String(r.calls)),
        h("span", { class: "num hits" }, String(r.hits)),
        r.active ? badge("active", "ok") : badge("spent"),
        h("button", { class: "small secondary", onclick: async () => { await act(`Deleted ${r.id}`, () => del(`__admin/faults/${r.id}`)); refreshAll(); } }, "Delete"),
      ]);
      const clear = rules.length
        ? h("button", { class: "small secondary", id: "faults-clear", onclick: async () => { await act("Deleted every rule", () => del("__admin/faults")); refreshAll(); } }, "Delete all")
        : null;
      list.replaceChildren(
        h("h3", {}, `Fault rules (${rules.length}) `, clear),
        rules.length ? table(["id", "name", "match", "action", "trigger", "calls", "hits", "", ""], rows, { id: "faults" }) : h("p", { class: "muted" }, "No fault rules: every call is answered by the mock's behaviour."),
      );
    },
  };
}
