// The playground's build: `npm run build` writes it to dist/playground, where
// the server (src/routes/playground.ts) serves it under /playground/.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/playground/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../dist/playground", import.meta.url)),
    emptyOutDir: true,
    // The browsers people run today; keeps the script small.
    target: "es2022",
    reportCompressedSize: true,
  },
});
