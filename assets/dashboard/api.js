// The control API, as the page calls it: same origin, JSON, the admin token from
// sessionStorage as X-Admin-Token. Polling reads carry X-Mock-Dashboard, so the server neither
// journals them nor lets fault rules count them (src/dashboard/mod.rs).

// The instance's prefix: "/" for the root, "/_sandbox/{id}/" for a sandbox.
export const base = location.pathname.replace(/__admin\/?$/, "");
export const sandbox = (base.match(/^\/_sandbox\/([^/]+)\//) || [])[1] || null;

const TOKEN_KEY = "soteams-mock-admin-token";

export class NeedsToken extends Error {}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function setAdminToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

// A call to this instance: `path` is relative to its prefix ("__admin/state").
export async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["X-Admin-Token"] = token;
  if (method === "GET") headers["X-Mock-Dashboard"] = "1";
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = null;
  }
  if (res.status === 401 && path.startsWith("__admin")) throw new NeedsToken("admin token");
  if (!res.ok) {
    const problems = json && json.problems ? json.problems.map((p) => `${p.path}: ${p.reason}`) : [];
    const message = (json && json.error) || text || res.statusText;
    throw new ApiError(res.status, [message, ...problems].join(" — "), json);
  }
  return json;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body);
export const put = (path, body) => call("PUT", path, body);
export const del = (path) => call("DELETE", path);
