// OpenAI's per-model rules. A family is the set of rules a model name follows;
// operator-defined models pick one (usually "gpt-image").

export type FamilyName = "gpt-image" | "dall-e-2" | "dall-e-3";
export type Endpoint = "generations" | "edits" | "variations";

export interface Family {
  name: FamilyName;
  endpoints: readonly Endpoint[];
  sizes: readonly string[];
  /** Accepted `quality` values; `auto` resolves through the model entry's autoQuality. */
  qualities: readonly string[];
  maxPromptLength: number;
  maxN: number;
  /** GPT image models always answer with b64_json; DALL·E models default to url. */
  responseFormats: boolean;
  /** output_format, output_compression, background, moderation, stream, partial_images, input_fidelity. */
  gptImageOptions: boolean;
  style: boolean;
  revisesPrompt: boolean;
  usage: boolean;
  maxEditImages: number;
  inputFormats: readonly string[];
  maxInputBytes: number;
  /** DALL·E 2 wants square inputs for edits and variations. */
  squareInputs: boolean;
}

const MB = 1024 * 1024;

export const families: Record<FamilyName, Family> = {
  "gpt-image": {
    name: "gpt-image",
    endpoints: ["generations", "edits"],
    sizes: ["auto", "1024x1024", "1536x1024", "1024x1536"],
    qualities: ["auto", "low", "medium", "high"],
    maxPromptLength: 32000,
    maxN: 10,
    responseFormats: false,
    gptImageOptions: true,
    style: false,
    revisesPrompt: false,
    usage: true,
    maxEditImages: 16,
    inputFormats: ["png", "jpeg", "webp"],
    maxInputBytes: 50 * MB,
    squareInputs: false,
  },
  "dall-e-2": {
    name: "dall-e-2",
    endpoints: ["generations", "edits", "variations"],
    sizes: ["256x256", "512x512", "1024x1024"],
    qualities: ["auto", "standard"],
    maxPromptLength: 1000,
    maxN: 10,
    responseFormats: true,
    gptImageOptions: false,
    style: false,
    revisesPrompt: false,
    usage: false,
    maxEditImages: 1,
    inputFormats: ["png"],
    maxInputBytes: 4 * MB,
    squareInputs: true,
  },
  "dall-e-3": {
    name: "dall-e-3",
    endpoints: ["generations"],
    sizes: ["1024x1024", "1792x1024", "1024x1792"],
    qualities: ["auto", "standard", "hd"],
    maxPromptLength: 4000,
    maxN: 1,
    responseFormats: true,
    gptImageOptions: false,
    style: true,
    revisesPrompt: true,
    usage: false,
    maxEditImages: 0,
    inputFormats: [],
    maxInputBytes: 0,
    squareInputs: false,
  },
};

/** The size each family renders when the request leaves it out. */
export const defaultSize: Record<FamilyName, string> = {
  "gpt-image": "auto",
  "dall-e-2": "1024x1024",
  "dall-e-3": "1024x1024",
};
