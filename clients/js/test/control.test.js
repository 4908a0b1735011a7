// Each control API helper, on a sandbox of its own per test.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { ControlError, USERSYNC_FAILURES, startSoteamsMock } from "../index.js";

let mock;
before(async () => {
  mock = await startSoteamsMock();
});
after(() => mock.stop());

/** A sandbox for the test `t` alone, deleted after it. */
async function sandboxFor(t) {
  const sandbox = await mock.sandbox();
  t.after(() => sandbox.delete());
  return sandbox;
}

const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const v3 = (sandbox, route, token = "ada-rw") =>
  fetch(`${sandbox.v3Url}${route}`, { headers: bearer(token) });
const post = (url, body, token = "ada-rw") =>
  fetch(url, {
    method: "POST",
    headers: { ...bearer(token), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

async function usersync(sandbox, members, dryRun) {
  const answer = await fetch(sandbox.usersyncUrl, {
    method: "POST",
    headers: { "X-API-Access-Token": "ada-rw", "X-API-Key": "local-key" },
    body: new URLSearchParams({
      requestsJson: JSON.stringify([{ Team: "productone", Members: members }]),
      dryRun: String(dryRun),
    }),
  });
  assert.equal(answer.status, 200);
  return (await answer.json()).items[0].Results[0];
}

async function groupNames(sandbox) {
  return (await (await v3(sandbox, "/user-groups?pageSize=100")).json()).items.map((g) => g.name);
}

test("the base URLs address the three v3 shapes and usersync", async (t) => {
  const sb = await sandboxFor(t);
  assert.equal(sb.v3Url, `${sb.url}/api/v3`);
  assert.equal(sb.v3TeamUrl("productone"), `${sb.url}/api/v3/teams/productone`);
  assert.equal(sb.v3CloudUrl("acme"), `${sb.url}/v3/teams/acme`);
  assert.equal(sb.usersyncUrl, `${sb.url}/api/2.3/enterprise/usersync`);
  const statuses = await Promise.all([
    fetch(`${sb.v3Url}/users/me`, { headers: bearer("ada-rw") }),
    fetch(`${sb.v3TeamUrl("productone")}/users/me`, { headers: bearer("ada-rw") }),
    fetch(`${sb.v3CloudUrl("acme")}/users/me`, { headers: bearer("acme-admin-rw") }),
  ]);
  assert.deepEqual(
    statuses.map((r) => r.status),
    [200, 200, 200],
  );
});

test("reset forgets writes, faults and the journal", async (t) => {
  const sb = await sandboxFor(t);
  assert.equal((await post(`${sb.v3Url}/user-groups`, { name: "Temp" })).status, 201);
  await sb.addFault({ match: { path: "/nowhere" }, action: { status: 500 } });
  await sb.reset();
  assert.ok(!(await groupNames(sb)).includes("Temp"));
  assert.deepEqual(await sb.faults(), []);
  assert.equal(await sb.journalCount({ method: "POST" }), 0);
});

test("exported state imports back, and a bad one is refused with its problems", async (t) => {
  const sb = await sandboxFor(t);
  const state = await sb.exportState();
  const counts = await sb.importState(state);
  assert.equal(counts.sites, state.sites.length);
  assert.deepEqual(await sb.exportState(), state);
  await assert.rejects(
    sb.importState({ sites: "not a list" }),
    (error) => error instanceof ControlError && error.status === 400 && error.body.problems.length > 0,
  );
});

test("a snapshot restores the world it saved", async (t) => {
  const sb = await sandboxFor(t);
  await sb.takeSnapshot("before");
  await post(`${sb.v3Url}/user-groups`, { name: "Scratch" });
  assert.deepEqual(
    (await sb.snapshots()).map((s) => s.name),
    ["before"],
  );
  await sb.restoreSnapshot("before");
  assert.ok(!(await groupNames(sb)).includes("Scratch"));
  await sb.deleteSnapshot("before");
  assert.deepEqual(await sb.snapshots(), []);
});

test("fault rules are added, listed, read and removed", async (t) => {
  const sb = await sandboxFor(t);
  const rule = await sb.addFault({
    name: "third call fails",
    match: { method: "GET", path: "/api/v3/users/me" },
    action: { status: 503 },
    trigger: { nth: 3 },
  });
  assert.equal(rule.id, "f1");
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await v3(sb, "/users/me")).status);
  assert.deepEqual(statuses, [200, 200, 503, 200]);
  const [listed] = await sb.faults();
  assert.deepEqual([listed.calls, listed.hits, listed.active], [4, 1, false]);
  assert.equal((await sb.fault("f1")).name, "third call fails");
  await sb.deleteFault("f1");
  await assert.rejects(sb.fault("f1"), (error) => error.status === 404);
  await sb.addFault({ action: { delayMs: 1 } });
  assert.equal(await sb.clearFaults(), 1);
});

test("the usersync StatusCode shortcut fails one team", async (t) => {
  const sb = await sandboxFor(t);
  assert.ok(USERSYNC_FAILURES.includes("ErrorApplyingChanges"));
  await sb.failUsersync("ErrorApplyingChanges", { team: "productone", trigger: { nth: 2 } });
  const members = [{ UserIdentifier: "ada", Level: "Admin" }];
  assert.equal(
    (await usersync(sb, members, true)).StatusCode,
    "SuccessfulDryRun",
    "a dry run has no apply stage",
  );
  assert.equal((await usersync(sb, members, false)).StatusCode, "ErrorApplyingChanges", "the second call");
  assert.equal((await usersync(sb, members, false)).StatusCode, "Success");
});

test("the journal is queried, counted and cleared", async (t) => {
  const sb = await sandboxFor(t);
  await v3(sb, "/users/me");
  await v3(sb, "/users/me");
  await v3(sb, "/users/me", "no-such-token");
  assert.equal(await sb.journalCount({ method: "GET", path: "/api/v3/users/me" }), 3);
  assert.equal(await sb.journalCount({ status: 401 }), 1);
  const last = await sb.journal({ api: "v3", limit: 1 });
  assert.equal(last.total, 3);
  assert.equal(last.requests[0].headers.authorization, "Bearer no-…", "tokens are masked");
  assert.equal(await sb.clearJournal(), 3);
});

test("a minted token works until it is revoked", async (t) => {
  const sb = await sandboxFor(t);
  const { token } = await sb.mintToken({ accountId: 1002, scope: "main", write: true });
  assert.equal((await (await v3(sb, "/users/me", token)).json()).name, "Bob Member");
  await sb.revokeToken(token);
  assert.equal((await v3(sb, "/users/me", token)).status, 401);
  const forever = await sb.mintToken({
    accountId: 1001,
    kind: "oauth",
    expiresAt: null,
    token: "my-own-token",
  });
  assert.deepEqual([forever.token, forever.expiresAt], ["my-own-token", null]);
});

test("the clock is read, set, advanced and reset", async (t) => {
  const sb = await sandboxFor(t);
  assert.equal((await v3(sb, "/users/me", "expired-pat")).status, 401);
  await sb.setClock(new Date("2019-06-01T00:00:00Z"));
  assert.match((await sb.clock()).now, /^2019-06-01T00:00/);
  assert.equal((await v3(sb, "/users/me", "expired-pat")).status, 200);
  await sb.advanceClock(365 * 86400);
  assert.match((await sb.clock()).now, /^2020-05-31/);
  assert.equal((await v3(sb, "/users/me", "expired-pat")).status, 401);
  assert.equal((await sb.resetClock()).offsetSeconds, 0);
});

test("rate limits are switched on and off", async (t) => {
  const sb = await sandboxFor(t);
  assert.equal(await sb.rateLimitsEnforced(), false);
  await sb.setRateLimits(true);
  assert.equal(await sb.rateLimitsEnforced(), true);
  assert.equal((await v3(sb, "/users/me")).headers.get("x-burst-throttle-calls-left"), "49");
  await sb.setRateLimits(false);
  assert.equal((await v3(sb, "/users/me")).headers.get("x-burst-throttle-calls-left"), "50");
});
