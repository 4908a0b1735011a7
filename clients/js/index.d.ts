// Hand-written types of index.js (no build step). The control API's answers are typed as far
// as the helpers rely on them; docs/control-api.md has every field.

import type { ChildProcess } from "node:child_process";

/** Any JSON object an answer holds. */
export type JsonObject = { [key: string]: unknown };

/** The usersync `StatusCode`s only fault injection produces. */
export type UsersyncFailure =
  | "OtherError"
  | "ErrorTryingToResolveUsers"
  | "FailedToDetermineChanges"
  | "ErrorApplyingChanges"
  | "PartialSyncFailure";

export declare const USERSYNC_FAILURES: readonly UsersyncFailure[];

export declare class BinaryNotFoundError extends Error {}
export declare class StartError extends Error {}

/** The mock answered a control API call with an error status. */
export declare class ControlError extends Error {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Parsed answer: `{ error, problems?: [{ path, reason }] }` for control API errors. */
  readonly body: unknown;
}

/** The binary to run: `SOTEAMS_MOCK_BIN`, else `soteams-mock` on `PATH`. */
export declare function findBinary(env?: Record<string, string | undefined>): string;

export interface Health {
  status: "ok";
  instance: "root" | "sandbox";
  version: string;
  now: string;
}

export interface FaultRule {
  name?: string;
  match?: { api?: "v3" | "usersync" | "admin"; method?: string; path?: string; site?: string };
  action: {
    status?: number;
    body?: unknown;
    contentType?: string;
    usersync?: UsersyncFailure;
    team?: string;
    applied?: number;
    delayMs?: number;
    drop?: boolean;
  };
  trigger?: { times?: number; nth?: number; probability?: number; seed?: number };
}

export interface FaultRuleView extends FaultRule {
  id: string;
  calls: number;
  hits: number;
  active: boolean;
}

export interface JournalFilter {
  method?: string;
  path?: string;
  /** `503`, `"5xx"` or `"dropped"`. */
  status?: number | string;
  api?: "v3" | "usersync" | "admin";
  site?: string;
}

export interface JournalEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string | null;
  api: string;
  sites: string[];
  status: number | null;
  durationMs: number;
  faults: string[];
  headers: Record<string, string>;
  body: string | null;
  [key: string]: unknown;
}

export interface Journal {
  total: number;
  dropped: number;
  capacity: number;
  requests: JournalEntry[];
}

export interface MintToken {
  accountId: number;
  kind?: "pat" | "oauth" | "service";
  scope?: string;
  write?: boolean;
  /** `null`: never expires; left out: 24 h from now on the mock clock. */
  expiresAt?: string | Date | null;
  token?: string;
  description?: string;
}

export interface Token {
  token: string;
  accountId: number;
  kind: "pat" | "oauth" | "service";
  scope: string | null;
  write: boolean;
  expiresAt: string | null;
  [key: string]: unknown;
}

export interface Clock {
  now: string;
  offsetSeconds: number;
}

export interface Snapshot {
  name: string;
  createdAt: string;
}

export interface SandboxInfo {
  id: string;
  baseUrl: string;
  createdAt: string;
  idleTimeoutSeconds: number;
  idleSeconds: number;
}

/** The root instance of a server, or a sandbox: everything under `url`. */
export declare class Instance {
  constructor(url: string, options?: { adminToken?: string; timeoutMs?: number });
  readonly url: string;
  adminToken: string | undefined;
  timeoutMs: number;

  /** `…/api/v3`: the Enterprise main site. */
  readonly v3Url: string;
  /** `…/api/v3/teams/{team}`: an Enterprise private team. */
  v3TeamUrl(team: string): string;
  /** `…/v3/teams/{team}`: a Basic or Business cloud team. */
  v3CloudUrl(team: string): string;
  /** `…/api/2.3/enterprise/usersync`. */
  readonly usersyncUrl: string;

  /** Any control route, `{url}/__admin{path}`; the parsed answer, or `null` for none. */
  admin(method: string, path: string, body?: unknown): Promise<any>;

  health(): Promise<Health>;
  reset(): Promise<void>;
  exportState(): Promise<JsonObject>;
  importState(
    state: JsonObject,
  ): Promise<{ apiKeys: number; accounts: number; sites: number; tokens: number }>;
  takeSnapshot(name: string): Promise<Snapshot>;
  snapshots(): Promise<Snapshot[]>;
  restoreSnapshot(name: string): Promise<void>;
  deleteSnapshot(name: string): Promise<void>;

  addFault(rule: FaultRule): Promise<FaultRuleView>;
  /** The usersync `StatusCode` shortcut: fail `team` (or every team) with a system failure. */
  failUsersync(
    statusCode: UsersyncFailure,
    options?: { team?: string; applied?: number; trigger?: FaultRule["trigger"] },
  ): Promise<FaultRuleView>;
  faults(): Promise<FaultRuleView[]>;
  fault(id: string): Promise<FaultRuleView>;
  deleteFault(id: string): Promise<void>;
  /** Resolves to how many rules were removed. */
  clearFaults(): Promise<number>;

  journal(filter?: JournalFilter & { limit?: number }): Promise<Journal>;
  journalCount(filter?: JournalFilter): Promise<number>;
  /** Resolves to how many entries were removed. */
  clearJournal(): Promise<number>;

  mintToken(request: MintToken): Promise<Token>;
  revokeToken(token: string): Promise<void>;

  clock(): Promise<Clock>;
  setClock(now: string | Date): Promise<Clock>;
  advanceClock(seconds: number): Promise<Clock>;
  resetClock(): Promise<Clock>;

  rateLimitsEnforced(): Promise<boolean>;
  setRateLimits(enforced: boolean): Promise<void>;
}

/** A sandbox: a private copy of the loaded fixtures under `/_sandbox/{id}`. */
export declare class Sandbox extends Instance {
  constructor(serverUrl: string, info: SandboxInfo, options?: { adminToken?: string; timeoutMs?: number });
  readonly id: string;
  readonly serverUrl: string;
  readonly info: SandboxInfo;
  /** Deletes it; one already gone is fine unless `missingOk` is false. */
  delete(options?: { missingOk?: boolean }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A running server. */
export declare class SoteamsMock {
  readonly url: string;
  readonly adminToken: string | undefined;
  /** The root instance (tests that share the server should each take a sandbox). */
  readonly root: Instance;
  /** The process, or `null` for a connected server or once stopped. */
  readonly process: ChildProcess | null;
  /** The file with the process's output while it runs (`null` when connected). */
  readonly logPath: string | null;
  log(): string;
  sandbox(options?: { idleTimeoutSeconds?: number }): Promise<Sandbox>;
  /** SIGTERM, then wait: the exit code (0 = graceful), or `null` for a connected server. */
  stop(options?: { timeoutMs?: number }): Promise<number | null>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartOptions {
  /** The binary; default `findBinary()`. */
  binary?: string;
  /** More flags (`["--fixtures", "world.json"]`); not `--port`, `--host` or `--ready-file`. */
  args?: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Required by the server and sent by the helpers; default `SOTEAMS_ADMIN_TOKEN`. */
  adminToken?: string;
  /** How long to wait for the ready file; default 30000. */
  timeoutMs?: number;
  /** Connect to this running server instead; default `SOTEAMS_MOCK_URL`; `null` always starts one. */
  url?: string | null;
}

export declare function startSoteamsMock(options?: StartOptions): Promise<SoteamsMock>;
export declare function connectSoteamsMock(
  url: string,
  options?: { adminToken?: string },
): Promise<SoteamsMock>;
