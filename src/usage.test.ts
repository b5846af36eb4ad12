import { describe, expect, it } from "vitest";
import type { ImageJob } from "./engines/engine.js";
import { imageUsage, inputImageTokens, outputTokensPerImage } from "./usage.js";

describe("usage", () => {
  it("follows the guide's output token table", () => {
    expect(outputTokensPerImage("low", 1024, 1024)).toBe(272);
    expect(outputTokensPerImage("medium", 1024, 1536)).toBe(1584);
    expect(outputTokensPerImage("high", 1536, 1024)).toBe(6208);
  });

  it("bills input images by 512 px tiles of the shortest side, plus fidelity", () => {
    expect(inputImageTokens({ width: 1024, height: 1024 }, "low")).toBe(194);
    expect(inputImageTokens({ width: 1024, height: 1025 }, "low")).toBe(194);
    expect(inputImageTokens({ width: 1920, height: 1080 }, "low")).toBe(65 + 129 * 2);
    expect(inputImageTokens({ width: 1024, height: 1024 }, "high")).toBe(194 + 4160);
    expect(inputImageTokens({ width: 1536, height: 1024 }, "high")).toBe(65 + 129 * 2 + 6240);
  });

  it("adds 100 output tokens per partial image sent and totals input and output", async () => {
    const job = { prompt: "a cat", images: [], n: 2, quality: "low", width: 1024, height: 1024, inputFidelity: "low" } as unknown as ImageJob;
    const usage = await imageUsage(job, 2);
    expect(usage.input_tokens_details.text_tokens).toBe(2);
    expect(usage.output_tokens).toBe(2 * 272 + 200);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  });
});
