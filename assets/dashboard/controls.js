// Controls: reset, snapshots, the mock clock, rate-limit enforcement, sandboxes.
import { del, get, post, put, sandbox } from "./api.js";
import { act, badge, field, h, table, when } from "./ui.js";

export function mount(el, refreshAll) {
  const done = (what, f) => async () => {
    await act(what, f);
    refreshAll();
  };
  const reset = h("button", { id: "reset", onclick: () => confirm("Reset this instance to its fixtures? (snapshots are kept)") && done("Reset", () => post("__admin/reset"))() }, "Reset instance");
  const snapName = h("input", { id: "snapshot-name", placeholder: "before", size: 12 });
  const snapForm = h("form", { class: "inline" }, field("Name", snapName), h("button", { type: "submit" }, "Save snapshot"));
  snapForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    done(`Saved ${snapName.value}`, () => post("__admin/snapshots", { name: snapName.value.trim() }))();
  });
  const clockNow = h("span", { id: "clock-now" });
  const setTo = h("input", { id: "clock-set", placeholder: "2030-01-01T00:00:00Z", size: 22 });
  const seconds = h("input", { id: "clock-seconds", value: "86400", size: 8 });
  const clockForm = h(
    "div",
    { class: "inline" },
    field("Set to", setTo),
    h("button", { onclick: done("Clock set", () => put("__admin/clock", { now: setTo.value.trim() })) }, "Set"),
    field("Advance (s)", seconds),
    h("button", { id: "clock-advance", onclick: done("Clock advanced", () => post("__admin/clock/advance", { seconds: Number(seconds.value) })) }, "Advance"),
    h("button", { id: "clock-24h", onclick: done("Clock advanced 24 h", () => post("__admin/clock/advance", { seconds: 86400 })) }, "+24 h"),
    h("button", { class: "secondary", onclick: done("Real time again", () => del("__admin/clock")) }, "Real time"),
  );
  const rate = h("input", { type: "checkbox", id: "rate-limits" });
  rate.addEventListener("change", done(null, () => put("__admin/rate-limits", { enforced: rate.checked })));
  const snapshots = h("div", { id: "snapshots" });
  const sandboxes = h("div", { id: "sandboxes" });
  el.append(
    h("section", { class: "card" }, h("h3", {}, "Reset"), h("p", {}, "Back to the loaded fixtures: world, clock, journal, fault rules, quotas, rate limits. Snapshots are kept."), reset),
    h("section", { class: "card" }, h("h3", {}, "Mock clock"), h("p", {}, "Now: ", clockNow, " — token expiry follows it."), clockForm),
    h("section", { class: "card" }, h("h3", {}, "Rate limits"), field("Enforce (429 when spent)", rate)),
    h("section", { class: "card" }, h("h3", {}, "Snapshots"), snapForm, snapshots),
    h("section", { class: "card" }, h("h3", {}, "Sandboxes"), sandbox ? h("p", {}, `This page shows sandbox ${sandbox}. `, h("a", { href: "/__admin/" }, "Open the root instance")) : sandboxes),
  );
  return {
    async refresh() {
      const [clock, limits, snaps, boxes] = await Promise.all([
        get("__admin/clock"),
        get("__admin/rate-limits"),
        get("__admin/snapshots"),
        sandbox ? null : get("__admin/sandboxes"),
      ]);
      clockNow.replaceChildren(when(clock.now), " ", clock.offsetSeconds ? badge(`${clock.offsetSeconds > 0 ? "+" : ""}${clock.offsetSeconds} s from real time`, "warn") : badge("real time", "ok"));
      rate.checked = limits.enforced;
      snapshots.replaceChildren(
        snaps.snapshots.length
          ? table(["name", "taken", ""], snaps.snapshots.map((s) => [h("b", {}, s.name), when(s.createdAt), [
              h("button", { class: "small", onclick: done(`Restored ${s.name}`, () => post(`__admin/snapshots/${encodeURIComponent(s.name)}/restore`)) }, "Restore"),
              " ",
              h("button", { class: "small secondary", onclick: done(`Deleted ${s.name}`, () => del(`__admin/snapshots/${encodeURIComponent(s.name)}`)) }, "Delete"),
            ]]))
          : h("p", { class: "muted" }, "No snapshots."),
      );
      if (boxes) {
        sandboxes.replaceChildren(
          h("p", {}, h("button", { id: "sandbox-create", onclick: done("Sandbox created", () => post("__admin/sandboxes")) }, "Create a sandbox")),
          boxes.sandboxes.length
            ? table(["id", "created", "idle", ""], boxes.sandboxes.map((s) => [h("a", { href: `${s.baseUrl}/__admin/` }, s.id), when(s.createdAt), `${s.idleSeconds} s of ${s.idleTimeoutSeconds} s`, [
                h("a", { class: "button small", href: `${s.baseUrl}/__admin/` }, "Open"),
                " ",
                h("button", { class: "small secondary", onclick: done(`Deleted ${s.id}`, () => del(`__admin/sandboxes/${s.id}`)) }, "Delete"),
              ]]))
            : h("p", { class: "muted" }, "No sandboxes."),
        );
      }
    },
  };
}
