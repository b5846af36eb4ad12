// A Python with the official `openai` package, if there is one: the virtualenv
// `.venv` that .ci/run makes, or EASEL_TEST_PYTHON. Tests of Python code skip
// without it (pip cannot always reach PyPI).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export const PYTHON = [process.env.EASEL_TEST_PYTHON, join(ROOT, ".venv", "bin", "python")].find(
  (candidate) => candidate && existsSync(candidate) && spawnSync(candidate, ["-c", "import openai"]).status === 0,
);
