import { randomBytes } from "node:crypto";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { PictureJson } from "./json-pictures.js";

describe("PictureJson", () => {
  it("streams exactly what JSON.stringify would write, with an exact length", async () => {
    for (const sizes of [[0], [1], [2, 3, 4], [3 * 256 * 1024 + 1, 5], [2_500_000, 10]]) {
      const pictures = sizes.map((size) => randomBytes(size));
      const json = new PictureJson();
      const body = { created: 1, data: pictures.map((p) => ({ b64_json: json.place(p), note: 'quotes " and \\u0000' })), usage: { total_tokens: 3 } };
      const { stream, length } = json.answer(body);
      const written = await text(stream);
      const expected = JSON.stringify({ ...body, data: pictures.map((p) => ({ b64_json: p.toString("base64"), note: 'quotes " and \\u0000' })) });
      expect(written).toBe(expected);
      expect(length).toBe(Buffer.byteLength(expected));
    }
  });
});
