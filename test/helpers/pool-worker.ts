// A worker for the ThreadPool tests: each task says what to do.
import { serveTasks } from "../../src/threads/serve.js";
import { errors } from "../../src/errors.js";

type Task = { do: "echo"; value: unknown } | { do: "spin"; ms: number } | { do: "exit" } | { do: "events"; count: number } | { do: "until-aborted" } | { do: "refuse" };

await serveTasks(
  async () => undefined,
  async (payload, { signal, emit }) => {
    const task = payload as Task;
    switch (task.do) {
      case "echo":
        return { result: task.value };
      case "spin": {
        const end = Date.now() + task.ms;
        while (Date.now() < end);
        return { result: "spun" };
      }
      case "exit":
        process.exit(3);
      case "events":
        for (let i = 0; i < task.count; i++) emit(i);
        return { result: task.count };
      case "until-aborted":
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        throw Object.assign(new Error("stopped"), { name: "AbortError" });
      case "refuse":
        throw errors.invalidValue("size", "7x7", ["1024x1024"]);
    }
  },
);
