// "Copy request as curl / JavaScript / Python": the gallery item's exact
// request, written as the guide writes it. Input files are named as the page
// sent them (input-1.png…, mask.png); the gallery offers them for download.
import { baseUrl } from "./api";
import type { GalleryItem } from "./gallery-store";
import { inputName } from "./run";

export type Language = "curl" | "javascript" | "python";

/** Easel's extensions: the official clients take them as extra body fields. */
const EXTENSIONS = new Set(["seed", "explain", "negative_prompt", "guidance_scale", "strength", "steps"]);

const quoteShell = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function outputFile(item: GalleryItem): string {
  return `picture.${item.fields.output_format ?? "png"}`;
}

function curl(item: GalleryItem): string {
  const lines = [`curl -sS ${baseUrl()}/images/${item.endpoint}`, `-H "Authorization: Bearer $OPENAI_API_KEY"`];
  const streamed = item.fields.stream === true;
  if (streamed) lines.push("-N");
  if (item.endpoint === "generations") {
    // The body comes from a here-document, so no prompt can break the shell's quoting.
    lines.push(`-H "Content-Type: application/json"`, "--data-binary @- <<'JSON'");
  } else {
    for (const [name, value] of Object.entries(item.fields)) lines.push(`--form-string ${quoteShell(`${name}=${value}`)}`);
    const imageField = item.inputs.length > 1 ? "image[]" : "image";
    item.inputs.forEach((input, i) => lines.push(`-F "${imageField}=@${inputName(i, input)}"`));
    if (item.mask) lines.push(`-F "mask=@mask.png"`);
  }
  let command = lines.join(" \\\n  ");
  if (!streamed) command += item.fields.response_format === "url" ? ` | jq -r '.data[0].url'` : ` | jq -r '.data[0].b64_json' | base64 --decode > ${outputFile(item)}`;
  if (item.endpoint === "generations") command += `\n${JSON.stringify(item.fields, null, 2)}\nJSON`;
  return command;
}

/** A value as a JavaScript or Python literal (JSON's strings and numbers are both). */
function literal(value: string | number | boolean, language: Language): string {
  if (language === "python" && typeof value === "boolean") return value ? "True" : "False";
  return JSON.stringify(value);
}

function javascript(item: GalleryItem): string {
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

function python(item: GalleryItem): string {
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

export function snippet(item: GalleryItem, language: Language): string {
  return language === "curl" ? curl(item) : language === "javascript" ? javascript(item) : python(item);
}
