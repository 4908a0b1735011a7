// Concurrent tests against one server, kept apart by their sandboxes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { startSoteamsMock } from "../index.js";

let mock;
before(async () => {
  mock = await startSoteamsMock();
});
after(() => mock.stop());

const ada = { Authorization: "Bearer ada-rw" };

test("concurrent tests see only their own sandbox", { concurrency: true }, async (t) => {
  const spans = [];
  const one = async (n) => {
    const sb = await mock.sandbox();
    try {
      const start = Date.now();
      const created = await fetch(`${sb.v3Url}/user-groups`, {
        method: "POST",
        headers: { ...ada, "Content-Type": "application/json" },
        body: JSON.stringify({ name: `parallel-${n}` }),
      });
      assert.equal(created.status, 201);
      await sb.setClock(`${2030 + n}-01-01T00:00:00Z`);
      await sb.addFault({ match: { path: `/api/v3/tags/${n}` }, action: { status: 503 } });
      await sleep(200); // the other tests write meanwhile
      const groups = await (await fetch(`${sb.v3Url}/user-groups?pageSize=100`, { headers: ada })).json();
      assert.deepEqual(
        groups.items.map((g) => g.name).filter((name) => name.startsWith("parallel-")),
        [`parallel-${n}`],
      );
      assert.match((await sb.clock()).now, new RegExp(`^${2030 + n}-01-01`));
      for (let tag = 1; tag <= 6; tag++) {
        const status = (await fetch(`${sb.v3Url}/tags/${tag}`, { headers: ada })).status;
        assert.equal(status, tag === n ? 503 : 200, `tag ${tag}: only this test's fault fires`);
      }
      spans.push([start, Date.now()]);
    } finally {
      await sb.delete();
    }
  };
  await Promise.all([1, 2, 3, 4, 5, 6].map((n) => t.test(`test ${n}`, () => one(n))));
  const overlapped = spans.some(([s1, e1], i) => spans.some(([s2, e2], j) => i !== j && s1 < e2 && s2 < e1));
  assert.ok(overlapped, "the subtests ran at the same time");
});
