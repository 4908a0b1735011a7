// Finding the binary, and what a start that fails says.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

import { BinaryNotFoundError, StartError, findBinary, startSoteamsMock } from "../index.js";

function executable(file, text = "#!/bin/sh\nexit 0\n") {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

const scratch = () => mkdtempSync(path.join(tmpdir(), "soteams-mock-js-test-"));

test("SOTEAMS_MOCK_BIN wins over PATH", () => {
  const dir = scratch();
  const named = executable(path.join(dir, "my-mock"));
  mkdirSync(path.join(dir, "bin"));
  executable(path.join(dir, "bin", "soteams-mock"));
  assert.equal(findBinary({ SOTEAMS_MOCK_BIN: named, PATH: path.join(dir, "bin") }), named);
});

test("without SOTEAMS_MOCK_BIN the binary is looked up on PATH", () => {
  const dir = scratch();
  executable(path.join(dir, "soteams-mock"));
  assert.equal(findBinary({ PATH: `/nonexistent:${dir}` }), path.join(dir, "soteams-mock"));
});

test("no binary fails with a message that says how to get it", () => {
  assert.throws(
    () => findBinary({ PATH: scratch() }),
    (error) =>
      error instanceof BinaryNotFoundError &&
      error.message.includes("SOTEAMS_MOCK_BIN") &&
      error.message.includes("cargo install --locked --path .") &&
      error.message.includes("scripts/build-static.sh"),
  );
});

test("a SOTEAMS_MOCK_BIN that is not executable is refused", () => {
  const file = path.join(scratch(), "not-a-program");
  writeFileSync(file, "");
  assert.throws(() => findBinary({ SOTEAMS_MOCK_BIN: file }), /not an executable file/);
});

test("a binary that exits at start fails with its output", async () => {
  const failing = executable(
    path.join(scratch(), "soteams-mock"),
    "#!/bin/sh\necho 'bad flag' >&2\nexit 3\n",
  );
  await assert.rejects(
    startSoteamsMock({ binary: failing, url: null }),
    (error) =>
      error instanceof StartError && /exited with 3/.test(error.message) && /bad flag/.test(error.message),
  );
});

test("a bad fixture fails the start with the binary's reasons", async () => {
  const world = path.join(scratch(), "world.json");
  writeFileSync(world, "[]");
  await assert.rejects(
    startSoteamsMock({ args: ["--fixtures", world], url: null }),
    (error) =>
      error instanceof StartError &&
      /exited with 2/.test(error.message) &&
      /refusing to start/.test(error.message),
  );
});
