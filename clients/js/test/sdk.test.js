// The mock called with fetch the way the official TypeScript SDK calls the real service:
// `Authorization: Bearer`, `Accept: application/json, */*;q=0.8`, its User-Agent, JSON bodies,
// and base URLs normalised to `/api/v3` (Enterprise) and `/api/v3/teams/{team}` (`forTeam`).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startSoteamsMock } from "../index.js";

let mock;
before(async () => {
  mock = await startSoteamsMock();
});
after(() => mock.stop());

// What the SDK does to the base URL it is given: a URL that does not end in /api/v3 gets it.
function normalizeBaseUrl(baseUrl) {
  const url = baseUrl.replace(/\/+$/, "");
  return url.endsWith("/api/v3") || url.includes("/api/v3/") ? url : `${url}/api/v3`;
}

/** A minimal client that sends what the SDK sends. */
function sdkClient(baseUrl, token, team) {
  const root = normalizeBaseUrl(baseUrl) + (team ? `/teams/${team}` : "");
  const request = async (method, route, body) => {
    const headers = {
      Authorization: `Bearer ${token}`,
      Accept: "application/json, */*;q=0.8",
      "User-Agent": "SOInternalSDK",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await fetch(`${root}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    const contentType = answer.headers.get("content-type") ?? "";
    return {
      status: answer.status,
      contentType,
      body: contentType.includes("json") ? JSON.parse(text) : text,
    };
  };
  return {
    request,
    forTeam: (slug) => sdkClient(baseUrl, token, slug),
    getCurrentUser: () => request("GET", "/users/me"),
    getTagsWithSmes: () => request("GET", "/tags?hasSmes=true&page=1&pageSize=100"),
    getSubjectMatterExperts: (tagId) => request("GET", `/tags/${tagId}/subject-matter-experts`),
    setSubjectMatterExperts: (tagId, smes) => request("PUT", `/tags/${tagId}/subject-matter-experts`, smes),
    createUserGroup: (group) => request("POST", "/user-groups", group),
    addMembers: (groupId, userIds) => request("POST", `/user-groups/${groupId}/members`, userIds),
  };
}

test("the SDK's calls work on the Enterprise main site, under /api/v3", async (t) => {
  const sb = await mock.sandbox();
  t.after(() => sb.delete());
  const sdk = sdkClient(sb.url, "ada-rw");
  const me = await sdk.getCurrentUser();
  assert.equal(me.status, 200);
  assert.equal(me.body.name, "Ada Admin");

  const tags = await sdk.getTagsWithSmes();
  assert.equal(tags.status, 200);
  const tag = tags.body.items[0];
  assert.ok(tag.subjectMatterExpertCount > 0, "hasSmes=true lists tags with SMEs");

  const group = await sdk.createUserGroup({
    name: "SDK group",
    description: "made by the SDK test",
    userIds: [],
  });
  assert.equal(group.status, 201);
  const members = await sdk.addMembers(group.body.id, [me.body.id]);
  assert.deepEqual(
    members.body.users.map((u) => u.id),
    [me.body.id],
  );

  const set = await sdk.setSubjectMatterExperts(tag.id, {
    userIds: [me.body.id],
    userGroupIds: [group.body.id],
  });
  assert.equal(set.status, 200);
  const smes = await sdk.getSubjectMatterExperts(tag.id);
  assert.deepEqual(
    smes.body.users.map((u) => u.id),
    [me.body.id],
  );
  assert.deepEqual(
    smes.body.userGroups.map((g) => g.name),
    ["SDK group"],
  );

  const sent = (await sb.journal({ method: "PUT", limit: 1 })).requests[0];
  assert.equal(sent.headers.authorization, "Bearer ada…", "the journal shows what the SDK sent, masked");
  assert.equal(sent.headers["user-agent"], "SOInternalSDK");
});

test("the SDK's forTeam calls work on a private team, under /api/v3/teams/{team}", async (t) => {
  const sb = await mock.sandbox();
  t.after(() => sb.delete());
  const team = sdkClient(`${sb.url}/`, "ada-rw").forTeam("productone");
  const me = await team.getCurrentUser();
  assert.equal(me.status, 200);
  const group = await team.createUserGroup({ name: "Team group", userIds: [me.body.id] });
  assert.equal(group.status, 201);
  assert.equal((await sb.journal({ site: "productone", method: "POST" })).total, 1);
  const platform = sdkClient(sb.url, "ada-rw").forTeam("platform");
  const disabled = await platform.getSubjectMatterExperts(1);
  assert.equal(disabled.status, 422, "SMEs are disabled on platform");
});

test("the SDK's errors arrive as the real service sends them", async (t) => {
  const sb = await mock.sandbox();
  t.after(() => sb.delete());
  const unknown = await sdkClient(sb.url, "no-such-token").getCurrentUser();
  assert.equal(unknown.status, 401);
  assert.match(unknown.contentType, /^text\/plain/);
  assert.equal(unknown.body, "Invalid access token");
  const readOnly = await sdkClient(sb.url, "ada-ro").createUserGroup({ name: "x" });
  assert.equal(readOnly.status, 403);
  assert.deepEqual(readOnly.body, { type: "/v3/errors/forbidden", title: "Forbidden Action", status: 403 });
  await sb.addFault({ match: { api: "v3" }, action: { status: 503 }, trigger: { times: 1 } });
  assert.equal((await sdkClient(sb.url, "ada-rw").getCurrentUser()).status, 503);
  assert.equal((await sdkClient(sb.url, "ada-rw").getCurrentUser()).status, 200);
});
