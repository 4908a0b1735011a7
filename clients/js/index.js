// Test helpers for soteams-mock, a local stateful mock of the Stack Overflow for Teams API v3 and
// the Enterprise usersync API. Plain ESM for Node 20 with no dependencies; the types are in
// index.d.ts. Every control helper is one call of the control API (docs/control-api.md).

import { spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const BINARY_NAME = "soteams-mock";

const HOW_TO_GET_IT = `Build and install it with Cargo, from a clone of the soteams-mock repository:
    cargo install --locked --path .
or straight from its repository:
    cargo install --locked --git <repository URL> soteams-mock
or build a static Linux binary with scripts/build-static.sh (its last line is the binary's path).
Then put its directory on PATH, or point SOTEAMS_MOCK_BIN at the binary.`;

/** The usersync `StatusCode`s only fault injection produces (the other five come from input). */
export const USERSYNC_FAILURES = Object.freeze([
  "OtherError",
  "ErrorTryingToResolveUsers",
  "FailedToDetermineChanges",
  "ErrorApplyingChanges",
  "PartialSyncFailure",
]);

/** No soteams-mock binary was found; the message says how to get one. */
export class BinaryNotFoundError extends Error {
  name = "BinaryNotFoundError";
}

/** The binary exited, or wrote no ready file in time; the message has its output. */
export class StartError extends Error {
  name = "StartError";
}

/** The mock answered a control API call with an error status (`status`, parsed `body`). */
export class ControlError extends Error {
  name = "ControlError";
  constructor(method, url, status, body) {
    const shown = typeof body === "string" ? body : JSON.stringify(body);
    super(`${method} ${url} answered ${status}: ${shown}`);
    this.method = method;
    this.url = url;
    this.status = status;
    this.body = body;
  }
}

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary to run: `SOTEAMS_MOCK_BIN`, else `soteams-mock` on `PATH`. */
export function findBinary(env = process.env) {
  const named = env.SOTEAMS_MOCK_BIN;
  if (named) {
    if (isExecutableFile(named)) return path.resolve(named);
    throw new BinaryNotFoundError(
      `SOTEAMS_MOCK_BIN is ${JSON.stringify(named)}, which is not an executable file.\n${HOW_TO_GET_IT}`,
    );
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir || ".", BINARY_NAME);
    if (isExecutableFile(candidate)) return path.resolve(candidate);
  }
  throw new BinaryNotFoundError(
    `${BINARY_NAME} is not on PATH and SOTEAMS_MOCK_BIN is not set.\n${HOW_TO_GET_IT}`,
  );
}

// One control API call: a body is sent as application/json, the one type the control API takes
// for a change of state; no Origin header is sent (the control API refuses a foreign one).
async function call(method, url, body, { adminToken, timeoutMs = 10_000 } = {}) {
  const headers = { accept: "application/json" };
  if (adminToken) headers["x-admin-token"] = adminToken;
  const init = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const answer = await fetch(url, init);
  const text = await answer.text();
  let parsed = null;
  if (text !== "") {
    parsed = (answer.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
  }
  if (!answer.ok) throw new ControlError(method, url, answer.status, parsed);
  return parsed;
}

const segment = (value) => encodeURIComponent(String(value));

function filters(given) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

function rfc3339(moment) {
  return moment instanceof Date ? moment.toISOString() : moment;
}

/**
 * The root instance of a server, or a sandbox: everything under `url`
 * (`http://127.0.0.1:PORT`, or `http://127.0.0.1:PORT/_sandbox/sb-…`).
 */
export class Instance {
  constructor(url, { adminToken, timeoutMs = 10_000 } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.adminToken = adminToken;
    this.timeoutMs = timeoutMs;
  }

  /** The Enterprise main site's v3 base: `…/api/v3`. */
  get v3Url() {
    return `${this.url}/api/v3`;
  }
  /** An Enterprise private team's v3 base: `…/api/v3/teams/{team}`. */
  v3TeamUrl(team) {
    return `${this.url}/api/v3/teams/${segment(team)}`;
  }
  /** A Basic or Business cloud team's v3 base: `…/v3/teams/{team}`. */
  v3CloudUrl(team) {
    return `${this.url}/v3/teams/${segment(team)}`;
  }
  /** The Enterprise usersync endpoint: `…/api/2.3/enterprise/usersync`. */
  get usersyncUrl() {
    return `${this.url}/api/2.3/enterprise/usersync`;
  }

  /** Any control route: `{url}/__admin{path}`; resolves to the parsed answer (`null`: none). */
  admin(method, route, body) {
    return call(method, `${this.url}/__admin${route}`, body, this);
  }

  health() {
    return this.admin("GET", "/health");
  }
  async reset() {
    await this.admin("POST", "/reset");
  }
  exportState() {
    return this.admin("GET", "/state");
  }
  importState(state) {
    return this.admin("PUT", "/state", state);
  }
  takeSnapshot(name) {
    return this.admin("POST", "/snapshots", { name });
  }
  async snapshots() {
    return (await this.admin("GET", "/snapshots")).snapshots;
  }
  async restoreSnapshot(name) {
    await this.admin("POST", `/snapshots/${segment(name)}/restore`);
  }
  async deleteSnapshot(name) {
    await this.admin("DELETE", `/snapshots/${segment(name)}`);
  }

  addFault(rule) {
    return this.admin("POST", "/faults", rule);
  }
  failUsersync(statusCode, { team, applied, trigger } = {}) {
    const action = { usersync: statusCode };
    if (team !== undefined) action.team = team;
    if (applied !== undefined) action.applied = applied;
    const rule = { match: { api: "usersync" }, action };
    if (trigger !== undefined) rule.trigger = trigger;
    return this.addFault(rule);
  }
  async faults() {
    return (await this.admin("GET", "/faults")).rules;
  }
  fault(id) {
    return this.admin("GET", `/faults/${segment(id)}`);
  }
  async deleteFault(id) {
    await this.admin("DELETE", `/faults/${segment(id)}`);
  }
  async clearFaults() {
    return (await this.admin("DELETE", "/faults")).removed;
  }

  journal(query = {}) {
    return this.admin("GET", `/requests${filters(query)}`);
  }
  async journalCount(query = {}) {
    return (await this.admin("GET", `/requests/count${filters(query)}`)).count;
  }
  async clearJournal() {
    return (await this.admin("DELETE", "/requests")).removed;
  }

  mintToken({ accountId, kind, scope, write, expiresAt, token, description }) {
    const body = { accountId };
    for (const [name, value] of Object.entries({ kind, scope, write, token, description })) {
      if (value !== undefined) body[name] = value;
    }
    if (expiresAt !== undefined) body.expiresAt = expiresAt === null ? null : rfc3339(expiresAt);
    return this.admin("POST", "/tokens", body);
  }
  async revokeToken(token) {
    await this.admin("POST", "/tokens/revoke", { token });
  }

  clock() {
    return this.admin("GET", "/clock");
  }
  setClock(now) {
    return this.admin("PUT", "/clock", { now: rfc3339(now) });
  }
  advanceClock(seconds) {
    return this.admin("POST", "/clock/advance", { seconds });
  }
  resetClock() {
    return this.admin("DELETE", "/clock");
  }

  async rateLimitsEnforced() {
    return (await this.admin("GET", "/rate-limits")).enforced;
  }
  async setRateLimits(enforced) {
    await this.admin("PUT", "/rate-limits", { enforced: Boolean(enforced) });
  }
}

/** A sandbox of a server: a private copy of the loaded fixtures under `/_sandbox/{id}`. */
export class Sandbox extends Instance {
  constructor(serverUrl, info, options = {}) {
    const server = serverUrl.replace(/\/+$/, "");
    super(`${server}${info.baseUrl}`, options);
    this.serverUrl = server;
    this.id = info.id;
    this.info = info;
  }

  /** Deletes the sandbox; one already gone is fine unless `missingOk` is false. */
  async delete({ missingOk = true } = {}) {
    try {
      await call("DELETE", `${this.serverUrl}/__admin/sandboxes/${segment(this.id)}`, undefined, this);
    } catch (error) {
      if (!(missingOk && error instanceof ControlError && error.status === 404)) throw error;
    }
  }

  async [Symbol.asyncDispose]() {
    await this.delete();
  }
}

// The servers started and not yet stopped: killed when this process exits, so that a server a
// test forgot to stop neither holds the runner open (each child is unref'd) nor outlives it.
const running = new Set();
let killOnExit = false;
function track(child) {
  running.add(child);
  child.unref();
  if (!killOnExit) {
    killOnExit = true;
    process.on("exit", () => running.forEach((c) => c.kill("SIGKILL")));
  }
}

/** A running server: `url`, its `root` instance, `sandbox()`, and `stop()` for one it started. */
export class SoteamsMock {
  #child;
  #workdir;

  constructor(url, { adminToken, child, workdir } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.adminToken = adminToken;
    this.root = new Instance(this.url, { adminToken });
    this.#child = child;
    this.#workdir = workdir;
    if (child) track(child);
  }

  /** The process (`null` for a connected server, or once stopped). */
  get process() {
    return this.#child ?? null;
  }

  /** The file that holds the process's output (request logs) while it runs. */
  get logPath() {
    return this.#workdir ? path.join(this.#workdir, "server.log") : null;
  }

  /** The process's output so far ("" for a connected server). */
  log() {
    try {
      return this.logPath ? readFileSync(this.logPath, "utf8") : "";
    } catch {
      return "";
    }
  }

  /** Creates a sandbox (optionally with its idle timeout in seconds). */
  async sandbox({ idleTimeoutSeconds } = {}) {
    const body = idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds };
    const info = await call("POST", `${this.url}/__admin/sandboxes`, body, this);
    return new Sandbox(this.url, info, { adminToken: this.adminToken });
  }

  /**
   * Sends SIGTERM and waits for the exit; resolves to the exit code (0: a graceful stop), or
   * `null` for a server this object did not start. After `timeoutMs` the process is killed.
   */
  async stop({ timeoutMs = 10_000 } = {}) {
    const child = this.#child;
    if (!child) return null;
    this.#child = undefined;
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null) {
      child.ref();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.#workdir, { recursive: true, force: true });
    return child.exitCode;
  }

  async [Symbol.asyncDispose]() {
    await this.stop();
  }
}

/**
 * Starts the binary on a free port of 127.0.0.1 and resolves once it answers; the port is read
 * from the binary's ready file (`--ready-file`), never from its banner.
 *
 * When `url` is given, or `SOTEAMS_MOCK_URL` is set (a CI job started the server), it connects
 * to that server instead, and `stop()` leaves it running; `url: null` always starts one.
 */
export async function startSoteamsMock(options = {}) {
  const { binary, args = [], env = {}, adminToken, timeoutMs = 30_000 } = options;
  const url = options.url === undefined ? process.env.SOTEAMS_MOCK_URL : options.url;
  if (url) return connectSoteamsMock(url, { adminToken });
  const program = binary ?? findBinary();
  const childEnv = { ...process.env, ...env };
  if (adminToken !== undefined) childEnv.SOTEAMS_ADMIN_TOKEN = adminToken;
  const token = childEnv.SOTEAMS_ADMIN_TOKEN || undefined;
  const workdir = await mkdtemp(path.join(tmpdir(), "soteams-mock-"));
  const ready = path.join(workdir, "ready");
  const command = [program, "--port", "0", "--host", "127.0.0.1", "--ready-file", ready, ...args];
  const log = openSync(path.join(workdir, "server.log"), "w");
  let child;
  try {
    child = spawn(program, command.slice(1), { stdio: ["ignore", log, log], env: childEnv });
  } finally {
    closeSync(log);
  }
  let exit = null;
  child.once("exit", (code, signal) => (exit ??= `exited with ${code ?? signal}`));
  child.once("error", (error) => (exit ??= `could not run: ${error.message}`));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The binary renames a complete file into place: a file that exists holds the whole line.
    const line = await readFile(ready, "utf8").catch(() => "");
    if (line.trim()) {
      const server = new SoteamsMock(line.trim(), { adminToken: token, child, workdir });
      await server.root.health();
      return server;
    }
    if (exit || Date.now() > deadline) {
      const why = exit ?? `wrote no ready file within ${timeoutMs} ms`;
      child.kill("SIGKILL");
      const output = await readFile(path.join(workdir, "server.log"), "utf8").catch(() => "");
      await rm(workdir, { recursive: true, force: true });
      throw new StartError(`${command.join(" ")} ${why}; its output:\n${output}`);
    }
    await sleep(10);
  }
}

/** A server already running at `url`; `stop()` leaves it running. */
export async function connectSoteamsMock(url, { adminToken } = {}) {
  const token = adminToken ?? (process.env.SOTEAMS_ADMIN_TOKEN || undefined);
  const server = new SoteamsMock(url, { adminToken: token });
  await server.root.health();
  return server;
}
