// Child-process entry that builds the benchmark's model folder, so the
// benchmark's own peak memory (VmHWM) never includes the builder's copy of
// the weights. Usage: npx tsx bench/diffusion/build-folder.ts <dir> [full|sliced] [sd15|sd3]
// Prints the folder's manifest as JSON on the last line of stdout.
import { writeSd15Folder } from "./sd15-folder.js";
import { writeSd3Folder } from "./sd3-folder.js";

const [dir, attention = "full", family = "sd15"] = process.argv.slice(2);
if (!dir || (attention !== "full" && attention !== "sliced") || (family !== "sd15" && family !== "sd3")) {
  console.error("usage: build-folder.ts <dir> [full|sliced] [sd15|sd3]");
  process.exit(2);
}
console.log(JSON.stringify(family === "sd3" ? await writeSd3Folder(dir, attention) : await writeSd15Folder(dir, attention)));
