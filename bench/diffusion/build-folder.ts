// Child-process entry that builds the benchmark's model folder, so the
// benchmark's own peak memory (VmHWM) never includes the builder's copy of
// the weights. Usage: npx tsx bench/diffusion/build-folder.ts <dir> [full|sliced]
// Prints the folder's manifest as JSON on the last line of stdout.
import { writeSd15Folder } from "./sd15-folder.js";

const [dir, attention = "full"] = process.argv.slice(2);
if (!dir || (attention !== "full" && attention !== "sliced")) {
  console.error("usage: build-folder.ts <dir> [full|sliced]");
  process.exit(2);
}
console.log(JSON.stringify(await writeSd15Folder(dir, attention)));
