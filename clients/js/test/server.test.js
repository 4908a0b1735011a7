// Starting and stopping a server, connecting to one, sandboxes.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { ControlError, connectSoteamsMock, startSoteamsMock } from "../index.js";

test("a started server listens on a free port and stops gracefully", async () => {
  const mock = await startSoteamsMock({ url: null });
  assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(mock.url, "http://127.0.0.1:8080", "--port 0 picks a free port");
  assert.equal((await mock.root.health()).instance, "root");
  const logPath = mock.logPath;
  assert.ok(existsSync(logPath));
  await fetch(`${mock.url}/api/v3/users/me`, { headers: { Authorization: "Bearer ada-rw" } });
  for (let i = 0; i < 250 && !mock.log().includes("/api/v3/users/me"); i++) await sleep(20); // written every 20 ms
  assert.match(mock.log(), /\/api\/v3\/users\/me/, "request logs go to the log file");
  assert.equal(await mock.stop(), 0, "SIGTERM is a graceful stop: exit code 0");
  assert.equal(mock.process, null);
  assert.ok(!existsSync(logPath), "the temporary directory is removed");
  await assert.rejects(fetch(`${mock.url}/__admin/health`), TypeError, "nothing listens any more");
  assert.equal(await mock.stop(), null, "stopping twice is fine");
});

test("an admin token is required by the server and sent by the helpers", async () => {
  const mock = await startSoteamsMock({ url: null, adminToken: "s3cret" });
  try {
    assert.equal((await mock.root.health()).status, "ok");
    const sandbox = await mock.sandbox();
    assert.equal((await sandbox.clock()).offsetSeconds, 0);
    await sandbox.delete();
    assert.equal((await fetch(`${mock.url}/__admin/health`)).status, 401);
  } finally {
    await mock.stop();
  }
});

test("a connected server is left running, and SOTEAMS_MOCK_URL connects", async () => {
  const mock = await startSoteamsMock({ url: null });
  try {
    const connected = await connectSoteamsMock(mock.url);
    assert.equal(await connected.stop(), null);
    process.env.SOTEAMS_MOCK_URL = mock.url;
    try {
      const fromEnv = await startSoteamsMock();
      assert.equal(fromEnv.url, mock.url);
      assert.equal(fromEnv.process, null);
      assert.equal(await fromEnv.stop(), null);
    } finally {
      delete process.env.SOTEAMS_MOCK_URL;
    }
    assert.equal((await mock.root.health()).status, "ok");
  } finally {
    await mock.stop();
  }
});

test("a sandbox is its own instance, and a deleted one answers 404", async () => {
  const mock = await startSoteamsMock({ url: null });
  try {
    const sandbox = await mock.sandbox({ idleTimeoutSeconds: 60 });
    assert.equal(sandbox.info.idleTimeoutSeconds, 60);
    assert.equal(sandbox.url, `${mock.url}/_sandbox/${sandbox.id}`);
    assert.equal((await sandbox.health()).instance, "sandbox");
    await sandbox.delete();
    await sandbox.delete();
    await assert.rejects(sandbox.health(), (error) => error instanceof ControlError && error.status === 404);
    await assert.rejects(sandbox.delete({ missingOk: false }), ControlError);
  } finally {
    await mock.stop();
  }
});

test("a server the script forgot to stop neither holds it open nor outlives it", async () => {
  const { execFile } = await import("node:child_process");
  const script = `
    const { startSoteamsMock } = await import(${JSON.stringify(new URL("../index.js", import.meta.url).href)});
    const mock = await startSoteamsMock({ url: null });
    console.log(mock.process.pid);`;
  const pid = await new Promise((resolve, reject) =>
    execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout) =>
      error ? reject(error) : resolve(Number(stdout.trim())),
    ),
  );
  assert.ok(pid > 0);
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
  assert.ok(!alive(pid), "the server is killed when the script exits");
});

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
