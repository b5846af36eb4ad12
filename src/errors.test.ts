import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiError, errors } from "./errors.js";

/** Every error the table can make, built with placeholder arguments. */
const all = Object.values(errors).map((make) => (make as (...args: unknown[]) => ApiError)("param", "value", ["a", "b"]));

describe("the error table", () => {
  it("makes OpenAI-shaped errors", () => {
    for (const error of all) {
      expect(error.toJSON()).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: error.param, code: error.code } });
      expect(error.status).toBeGreaterThanOrEqual(400);
    }
  });

  it("is documented in the README, both ways", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Errors"), readme.indexOf("## Benchmarks"));
    const documented = new Set([...section.matchAll(/^\|([^|]+)\|\s*(\d{3})/gm)].flatMap((row) => [...row[1].matchAll(/`([a-z_]+)`/g)].map((m) => `${m[1]} ${row[2]}`)));
    const table = new Set(all.map((e) => `${e.code} ${e.status}`));
    expect([...table].filter((entry) => !documented.has(entry))).toEqual([]);
    expect([...documented].filter((entry) => !table.has(entry))).toEqual([]);
  });

  it("lists quoted values as OpenAI does", () => {
    expect(errors.invalidValue("quality", "ultra", ["low", "medium", "high", "auto"]).message).toBe(
      "Invalid value: 'ultra'. Supported values are: 'low', 'medium', 'high', and 'auto'.",
    );
  });
});
