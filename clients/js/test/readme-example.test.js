import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startSoteamsMock } from "soteams-mock";

let mock;
before(async () => {
  mock = await startSoteamsMock(); // one server for the file, on a free port
});
after(() => mock.stop());

test("a new group shows in the list", async (t) => {
  const sandbox = await mock.sandbox(); // this test's own copy of the fixtures
  t.after(() => sandbox.delete());
  const headers = { Authorization: "Bearer ada-rw", "Content-Type": "application/json" };
  const created = await fetch(`${sandbox.v3Url}/user-groups`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "QA" }),
  });
  assert.equal(created.status, 201);
  const teamUsers = await fetch(`${sandbox.v3TeamUrl("productone")}/users`, { headers });
  assert.equal(teamUsers.status, 200);
  assert.equal(await sandbox.journalCount({ method: "POST" }), 1);
});

test("a flaky service", async (t) => {
  const sandbox = await mock.sandbox();
  t.after(() => sandbox.delete());
  await sandbox.addFault({ match: { api: "v3" }, action: { status: 503 }, trigger: { nth: 2 } });
  const me = () => fetch(`${sandbox.v3Url}/users/me`, { headers: { Authorization: "Bearer ada-rw" } });
  assert.deepEqual([(await me()).status, (await me()).status, (await me()).status], [200, 503, 200]);
});
