// Compares a generator's float32 output with a reference fixture written by
// test/fixtures/diffusion/make-*-randn.py, bit for bit: small calls whole;
// large ones by their first and last values, optional spot samples and sum,
// and a SHA-256 of every value.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect } from "vitest";

export type RandnCall =
  | { count: number; bits: number[] }
  | { count: number; head: number[]; tail: number[]; samples?: [number, number][]; sum?: number; sha256: string };

export function readRandnFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/diffusion/${name}`, import.meta.url), "utf8")) as T;
}

/** The float32 bit patterns of the values, as the fixtures store them. */
export function bitsOf(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

export function expectRandnMatches(values: Float32Array, expected: RandnCall): void {
  expect(values.length).toBe(expected.count);
  const bits = bitsOf(values);
  if ("bits" in expected) {
    expect(bits).toEqual(expected.bits);
    return;
  }
  expect(bits.slice(0, expected.head.length)).toEqual(expected.head);
  expect(bits.slice(-expected.tail.length)).toEqual(expected.tail);
  if (expected.samples) expect(expected.samples.map(([index]) => [index, bits[index]])).toEqual(expected.samples);
  if (expected.sum !== undefined) {
    let sum = 0;
    for (const value of values) sum += value; // index order, as the fixture's cumsum
    expect(sum).toBe(expected.sum);
  }
  const digest = createHash("sha256").update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest("hex");
  expect(digest).toBe(expected.sha256);
}
