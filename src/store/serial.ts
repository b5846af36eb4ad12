// Runs tasks one at a time per key, in the order they were handed in: the
// writes to one response keep the order the service made them in.
export class Serial {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of the same key. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}
