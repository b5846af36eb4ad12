// "Copy request as curl / JavaScript / Python": the gallery item's exact
// request, written as the guide writes it. Input files are named as the page
// sent them (input-1.png…, mask.png); the gallery offers them for download.
import { baseUrl } from "./api";
import type { ChatItem, GalleryItem, ImageItem } from "./gallery-store";
import { inputName } from "./run";

export type Language = "curl" | "javascript" | "python";

export const LANGUAGES: { id: Language; label: string }[] = [
  { id: "curl", label: "curl" },
  { id: "javascript", label: "JavaScript" },
  { id: "python", label: "Python" },
];

/** Easel's extensions: the official clients take them as extra body fields. */
const EXTENSIONS = new Set(["seed", "explain", "negative_prompt", "guidance_scale", "strength", "steps"]);

const quoteShell = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** A JSON value as a JavaScript or Python literal. */
function literal(value: unknown, language: Language, indent = ""): string {
  if (language !== "python") return JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map((entry) => literal(entry, language, indent)).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value).map(([key, entry]) => `${JSON.stringify(key)}: ${literal(entry, language, indent)}`).join(", ")}}`;
  return JSON.stringify(value);
}

export function snippet(item: GalleryItem, language: Language): string {
  if (item.endpoint === "responses") return language === "curl" ? chatCurl(item) : language === "javascript" ? chatJavascript(item) : chatPython(item);
  return language === "curl" ? imageCurl(item) : language === "javascript" ? imageJavascript(item) : imagePython(item);
}

/** curl posting a JSON body from a here-document, so no prompt can break the shell's quoting. */
function jsonCurl(path: string, body: object, streamed: boolean, save: string): string {
  const lines = [`curl -sS ${baseUrl()}${path}`, `-H "Authorization: Bearer $OPENAI_API_KEY"`];
  if (streamed) lines.push("-N");
  lines.push(`-H "Content-Type: application/json"`, "--data-binary @- <<'JSON'");
  return `${lines.join(" \\\n  ")}${streamed ? "" : save}\n${JSON.stringify(body, null, 2)}\nJSON`;
}

// The Image API.

function outputFile(item: ImageItem): string {
  return `picture.${item.fields.output_format ?? "png"}`;
}

function imageCurl(item: ImageItem): string {
  const streamed = item.fields.stream === true;
  const save = item.fields.response_format === "url" ? ` | jq -r '.data[0].url'` : ` | jq -r '.data[0].b64_json' | base64 --decode > ${outputFile(item)}`;
  if (item.endpoint === "generations") return jsonCurl("/images/generations", item.fields, streamed, save);
  const lines = [`curl -sS ${baseUrl()}/images/${item.endpoint}`, `-H "Authorization: Bearer $OPENAI_API_KEY"`];
  if (streamed) lines.push("-N");
  for (const [name, value] of Object.entries(item.fields)) lines.push(`--form-string ${quoteShell(`${name}=${value}`)}`);
  const imageField = item.inputs.length > 1 ? "image[]" : "image";
  item.inputs.forEach((input, i) => lines.push(`-F "${imageField}=@${inputName(i, input)}"`));
  if (item.mask) lines.push(`-F "mask=@mask.png"`);
  return lines.join(" \\\n  ") + (streamed ? "" : save);
}

function imageJavascript(item: ImageItem): string {
  const method = { generations: "generate", edits: "edit", variations: "createVariation" }[item.endpoint];
  const args = Object.entries(item.fields).map(([name, value]) => `  ${name}: ${literal(value, "javascript")},`);
  if (item.inputs.length > 0) {
    const files = item.inputs.map((input, i) => `await toFile(fs.createReadStream("${inputName(i, input)}"), null, { type: "${input.type}" })`);
    args.push(item.inputs.length > 1 ? `  image: [\n    ${files.join(",\n    ")},\n  ],` : `  image: ${files[0]},`);
  }
  if (item.mask) args.push(`  mask: await toFile(fs.createReadStream("mask.png"), null, { type: "image/png" }),`);
  const save = item.fields.stream
    ? `for await (const event of result) {\n  if (event.type.endsWith(".completed")) fs.writeFileSync("${outputFile(item)}", Buffer.from(event.b64_json, "base64"));\n}`
    : item.fields.response_format === "url"
      ? "console.log(result.data[0].url);"
      : `fs.writeFileSync("${outputFile(item)}", Buffer.from(result.data[0].b64_json, "base64"));`;
  return [
    `import fs from "node:fs";`,
    `import OpenAI${item.inputs.length > 0 ? ", { toFile }" : ""} from "openai";`,
    "",
    `const client = new OpenAI({ baseURL: "${baseUrl()}" });`,
    "",
    `const result = await client.images.${method}({`,
    ...args,
    "});",
    save,
  ].join("\n");
}

function imagePython(item: ImageItem): string {
  const method = { generations: "generate", edits: "edit", variations: "create_variation" }[item.endpoint];
  const args: string[] = [];
  const extra: string[] = [];
  for (const [name, value] of Object.entries(item.fields)) {
    if (EXTENSIONS.has(name)) extra.push(`${JSON.stringify(name)}: ${literal(value, "python")}`);
    else args.push(`    ${name}=${literal(value, "python")},`);
  }
  if (item.inputs.length > 0) {
    const files = item.inputs.map((input, i) => `open("${inputName(i, input)}", "rb")`);
    args.push(item.inputs.length > 1 ? `    image=[${files.join(", ")}],` : `    image=${files[0]},`);
  }
  if (item.mask) args.push(`    mask=open("mask.png", "rb"),`);
  if (extra.length > 0) args.push(`    extra_body={${extra.join(", ")}},`);
  const save = item.fields.stream
    ? `for event in result:\n    if event.type.endswith(".completed"):\n        with open("${outputFile(item)}", "wb") as f:\n            f.write(base64.b64decode(event.b64_json))`
    : item.fields.response_format === "url"
      ? "print(result.data[0].url)"
      : `with open("${outputFile(item)}", "wb") as f:\n    f.write(base64.b64decode(result.data[0].b64_json))`;
  return ["import base64", "from openai import OpenAI", "", `client = OpenAI(base_url="${baseUrl()}")`, "", `result = client.images.${method}(`, ...args, ")", save].join("\n");
}

// The Responses API.

const chatFile = (item: ChatItem) => `picture.${(item.body.tools as { output_format?: string }[])[0].output_format ?? "png"}`;

function chatCurl(item: ChatItem): string {
  const save = ` | jq -r '.output[] | select(.type == "image_generation_call") | .result' | base64 --decode > ${chatFile(item)}`;
  return jsonCurl("/responses", item.body, item.body.stream === true, save);
}

function chatJavascript(item: ChatItem): string {
  const save = item.body.stream
    ? `for await (const event of response) {\n  if (event.type === "response.output_item.done" && event.item.type === "image_generation_call") {\n    fs.writeFileSync("${chatFile(item)}", Buffer.from(event.item.result, "base64"));\n  }\n}`
    : `const call = response.output.find((item) => item.type === "image_generation_call");\nfs.writeFileSync("${chatFile(item)}", Buffer.from(call.result, "base64"));`;
  return [
    `import fs from "node:fs";`,
    `import OpenAI from "openai";`,
    "",
    `const client = new OpenAI({ baseURL: "${baseUrl()}" });`,
    "",
    `const response = await client.responses.create(${literal(item.body, "javascript")});`,
    save,
  ].join("\n");
}

function chatPython(item: ChatItem): string {
  const args = Object.entries(item.body).map(([name, value]) => `    ${name}=${literal(value, "python")},`);
  const save = item.body.stream
    ? `for event in response:\n    if event.type == "response.output_item.done" and event.item.type == "image_generation_call":\n        with open("${chatFile(item)}", "wb") as f:\n            f.write(base64.b64decode(event.item.result))`
    : `call = next(item for item in response.output if item.type == "image_generation_call")\nwith open("${chatFile(item)}", "wb") as f:\n    f.write(base64.b64decode(call.result))`;
  return ["import base64", "from openai import OpenAI", "", `client = OpenAI(base_url="${baseUrl()}")`, "", "response = client.responses.create(", ...args, ")", save].join("\n");
}
