/**
 * `window.__playground`: a read-only window on what the views show, for the
 * browser tests (and for the curious in the console). Views publish plain
 * snapshots; nothing here is read back by the page itself.
 */
declare global {
  interface Window {
    /** What the playground's views show, published for tests; read-only. */
    __playground?: Readonly<Record<string, unknown>>;
  }
}

const published: Record<string, unknown> = {};
window.__playground = new Proxy(published, {
  set: () => false,
  deleteProperty: () => false,
  defineProperty: () => false,
});

/** Publishes a snapshot under `key` (a deep copy: a test can never change the page through it). */
export function publish(key: string, snapshot: unknown): void {
  published[key] = structuredClone(snapshot);
}
