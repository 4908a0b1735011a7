// The README's JavaScript example is test/readme-example.test.js, word for word.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

test("the README shows the example this suite runs", () => {
  const example = readFileSync(new URL("./readme-example.test.js", import.meta.url), "utf8");
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  assert.ok(readme.includes("```js\n" + example + "```"), "copy test/readme-example.test.js into README.md");
});
