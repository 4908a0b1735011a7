#!/usr/bin/env python3
"""Derives openapi/upstream-facts.json from the official v3 OpenAPI document.

Facts only: for each in-scope operation (main form, i.e. without /teams/{team}) its method,
path, parameters (type, format, enum, bounds, required), request body (media types, schema),
declared status codes with their media types and schemas; and for each schema they reach its
fields with type and nullability (refs kept by name, enums listed). No descriptions, examples
or prose. The drift test (tests/api/conformance/drift.rs) compares the served document with it.

Usage: python3 scripts/upstream-facts.py [EXCERPT] > openapi/upstream-facts.json
EXCERPT defaults to ../shared/reference/so-teams-v3-openapi.json (the full official document) beside the repo.
Python 3 standard library only.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "shared", "reference", "so-teams-v3-openapi.json")
TEAM = "/teams/{team}"
METHODS = ("get", "put", "post", "delete", "patch")


def ref_name(ref):
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        sys.exit(f"unsupported $ref {ref}")
    return ref[len(prefix):]


def type_expr(schema, reached, bounds=False):
    """A schema reduced to facts: a ref by name, or type/format/nullable/enum/items/fields."""
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        reached.add(name)
        return {"ref": name}
    out = {}
    if "type" in schema:
        out["type"] = schema["type"]
    if "format" in schema:
        out["format"] = schema["format"]
    out["nullable"] = bool(schema.get("nullable", False))
    if "enum" in schema:
        out["enum"] = schema["enum"]
    if bounds:
        for k in ("minimum", "maximum", "minLength"):
            if k in schema:
                out[k] = schema[k]
    if schema.get("type") == "array":
        out["items"] = type_expr(schema.get("items", {}), reached, bounds)
    if "properties" in schema or schema.get("type") == "object":
        out["type"] = "object"
        out["fields"] = {
            name: type_expr(prop, reached, bounds)
            for name, prop in schema.get("properties", {}).items()
        }
        out["required"] = sorted(schema.get("required", []))
        out["closed"] = schema.get("additionalProperties", True) is False
    return out


def content(media_map, reached):
    return {
        media: type_expr(m["schema"], reached) if "schema" in m else {}
        for media, m in sorted(media_map.items())
    }


def operation(method, path, op, reached):
    params = []
    for p in op.get("parameters", []):
        params.append(
            {
                "name": p["name"],
                "in": p["in"],
                "required": bool(p.get("required", False)),
                "schema": type_expr(p.get("schema", {}), reached, bounds=True),
            }
        )
    body = None
    if "requestBody" in op:
        rb = op["requestBody"]
        body = {
            "required": bool(rb.get("required", False)),
            "content": content(rb.get("content", {}), reached),
        }
    responses = {
        status: content(r.get("content", {}), reached)
        for status, r in sorted(op["responses"].items())
    }
    return {
        "method": method.upper(),
        "path": path,
        "parameters": params,
        "requestBody": body,
        "responses": responses,
    }


def strip_team(fact):
    """The team twin's facts without its `team` parameter, to compare with the main form."""
    twin = dict(fact)
    twin["parameters"] = [p for p in fact["parameters"] if p["name"] != "team"]
    twin["path"] = fact["path"][len(TEAM):]
    return twin


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    reached = set()
    ops = {}
    twins = {}
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            fact = operation(method, path, item[method], reached)
            if path.startswith(TEAM + "/"):
                twins[(method.upper(), path[len(TEAM):])] = fact
            else:
                ops[(method.upper(), path)] = fact
    out_ops = []
    for key in sorted(ops, key=lambda k: (k[1], k[0])):
        fact = ops[key]
        twin = twins.pop(key, None)
        if twin is not None:
            team = [p for p in twin["parameters"] if p["name"] == "team"]
            if team != [{"name": "team", "in": "path", "required": True,
                         "schema": {"type": "string", "nullable": False}}]:
                sys.exit(f"{key}: unexpected team parameter {team}")
            if strip_team(twin) != fact:
                sys.exit(f"{key}: the /teams/{{team}} twin differs beyond the team parameter")
        fact["teamTwin"] = twin is not None
        out_ops.append(fact)
    if twins:
        sys.exit(f"team routes without a main form: {sorted(twins)}")
    # Schemas reached from the operations, transitively.
    schemas = {}
    pending = sorted(reached)
    while pending:
        name = pending.pop()
        if name in schemas:
            continue
        found = set()
        schemas[name] = type_expr(doc["components"]["schemas"][name], found)
        pending.extend(sorted(found - set(schemas)))
    facts = {
        "source": "../shared/reference/so-teams-v3-openapi.json "
        "(StackExchange/StackOverflowSDK sdk/src/source/swagger.json, commit f55ee54)",
        "generatedBy": "python3 scripts/upstream-facts.py > openapi/upstream-facts.json",
        "teamPrefix": TEAM,
        "operations": out_ops,
        "schemas": dict(sorted(schemas.items())),
    }
    json.dump(facts, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
