/**
 * Worker threads that compute slices of one matrix product in the kernels'
 * shared memory, so a large product uses every core. Only where threads can
 * block and share memory synchronously (Node: worker_threads and
 * SharedArrayBuffer); elsewhere the pool is simply absent.
 *
 * Protocol, in a small shared Int32Array `control`:
 *   [0] job number (bumped by the main thread to start a job; -1 stops the workers)
 *   [1] how many of the current job's slices are still being computed
 *   [2 + w] 1 once worker w is ready (only ready workers are given work)
 *   [16 + 9w ...] worker w's job: ap, bp, cp, m, k, n, ldc, bias (byte
 *     pointers, sizes), then its state: 0 none, 1 pending, 2 taken by the
 *     worker, 3 taken back by the main thread
 * A worker woken on [0] takes its pending slice (1 → 2, compare-and-swap),
 * computes it, decrements [1] and notifies. The main thread runs its own
 * slice meanwhile, then takes back every slice still pending (1 → 3) and
 * computes it itself: a worker that has died (its 'exit' event is only
 * delivered once this thread returns to the event loop) therefore costs a
 * short poll, never a stall. Both sides poll briefly before they block.
 * A worker slow to start is not waited for: it gets work once it is ready.
 */

interface WorkerLike {
  unref(): void;
  on(event: 'error' | 'exit', listener: (arg: unknown) => void): void;
  terminate(): Promise<number>;
}

interface WorkerThreadsLike {
  Worker: new (code: string, options: { eval: true; workerData: unknown }) => WorkerLike;
  isMainThread: boolean;
}

interface OsLike {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

type GemmFn = (ap: number, bp: number, c: number, m: number, k: number, n: number, ldc: number, bias: number) => void;

const jobSlots = 16;
const slotSize = 9;
/** Index of a job's state within its slot. */
const stateAt = 8;
/** Ready flags sit at [2, 16): at most 14 workers, 15 threads with the main one. */
export const maxWorkers = jobSlots - 2;
/** How long the main thread waits for a worker before taking its slice back (ms). */
const patience = 10_000;

/** Written into a worker's row count by a test hook: the worker leaves its loop (its thread ends) at the next job, taking nothing. */
const quitOrder = -2;

// The worker's whole program (CommonJS, evaluated by worker_threads).
const workerSource = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, index } = workerData;
const gemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.gemm;
const ctl = new Int32Array(control);
let seen = Atomics.load(ctl, 0);
Atomics.store(ctl, 2 + index, 1);
for (;;) {
  // Spin a little (about 0.3 ms) before sleeping, as OpenMP runtimes do: a
  // training step issues products back to back, and waking a sleeping thread
  // took longer here than a batch-32 product's whole slice.
  for (let spin = 0; spin < 50000 && Atomics.load(ctl, 0) === seen; spin++);
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  const at = ${jobSlots} + index * ${slotSize};
  if (ctl[at + 3] === ${quitOrder}) break;
  // Only a pending slice is ours: the main thread may have taken it back.
  if (Atomics.compareExchange(ctl, at + ${stateAt}, 1, 2) !== 1) continue;
  if (ctl[at + 3] > 0) gemm(ctl[at], ctl[at + 1], ctl[at + 2], ctl[at + 3], ctl[at + 4], ctl[at + 5], ctl[at + 6], ctl[at + 7]);
  if (Atomics.sub(ctl, 1, 1) === 1) Atomics.notify(ctl, 1);
}
`;

function builtin<T>(id: string): T | null {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (host?.getBuiltinModule?.(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** True where a threaded pool can exist (Node with worker_threads and shared memory). */
export function threadsAvailable(): boolean {
  return (
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    builtin<WorkerThreadsLike>('node:worker_threads') !== null
  );
}

export class GemmPool {
  private readonly control: Int32Array;
  private readonly spawn: (index: number) => WorkerLike;
  /** Worker w, or null once it has exited or failed (the pool shrinks). */
  private readonly workers: (WorkerLike | null)[] = [];
  /** Jobs in a row each worker left pending (it may have died before its 'exit' event arrives). */
  private readonly missed: number[] = [];
  private broken = false;
  /** @internal How many workers the last threaded product was split with (tests check the thread cap with it). */
  lastTeamSize = 0;

  private constructor(control: Int32Array, spawn: (index: number) => WorkerLike) {
    this.control = control;
    this.spawn = spawn;
  }

  /** Starts one worker per extra core (none on a single core); null where threads are unavailable. */
  static start(bytes: Uint8Array, memory: WebAssembly.Memory): GemmPool | null {
    const threads = builtin<WorkerThreadsLike>('node:worker_threads');
    const os = builtin<OsLike>('node:os');
    if (threads === null || os === null) return null;
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const control = new Int32Array(new SharedArrayBuffer((jobSlots + maxWorkers * slotSize) * 4));
    const pool = new GemmPool(
      control,
      (index) =>
        new threads.Worker(workerSource, { eval: true, workerData: { bytes, memory, control: control.buffer, index } }),
    );
    pool.grow(Math.max(cores - 1, 0));
    return pool;
  }

  /**
   * Starts workers until `count` are alive (at most {@link maxWorkers}),
   * reusing the places of retired ones; setNumThreads may ask for more than
   * the cores.
   */
  grow(count: number): void {
    for (let index = 0; index < Math.min(count, maxWorkers) && this.size < Math.min(count, maxWorkers); index++) {
      if ((this.workers[index] ?? null) !== null) continue;
      const worker = this.spawn(index);
      this.workers[index] = worker;
      this.missed[index] = 0;
      // Noticed as soon as this thread reaches its event loop: the worker is
      // given no more work (the pool shrinks by one).
      const retire = () => {
        if (this.workers[index] === worker) this.retire(index);
      };
      worker.on('error', retire);
      worker.on('exit', retire);
      worker.unref();
    }
  }

  /** The number of worker threads alive (ready or still starting). */
  get size(): number {
    return this.broken ? 0 : this.workers.filter((w) => w !== undefined && w !== null).length;
  }

  private retire(index: number): void {
    this.workers[index] = null;
    Atomics.store(this.control, 2 + index, 0);
  }

  /** How many workers have started and wait for work. */
  get readyCount(): number {
    return this.ready(maxWorkers).length;
  }

  /** Up to `limit` workers ready for work now. */
  private ready(limit: number): number[] {
    const out: number[] = [];
    if (this.broken) return out;
    for (let w = 0; w < this.workers.length && out.length < limit; w++) {
      if (this.workers[w] !== null && Atomics.load(this.control, 2 + w) === 1) out.push(w);
    }
    return out;
  }

  /** @internal Test hook: ends worker w's thread, as a crash would; resolves once it has exited. */
  terminateWorker(w: number): Promise<number> | null {
    return this.workers[w]?.terminate() ?? null;
  }

  /** @internal Test hook: worker w quits at the next job without taking it, before any event says so. */
  quietlyStopWorker(w: number): void {
    const at = jobSlots + w * slotSize;
    this.control[at + 3] = quitOrder;
  }

  /**
   * C[m×n] = A·B with the rows split between up to `helpers` ready workers
   * and this thread (in multiples of 4, A's panel height). Returns false,
   * having done nothing, when no worker is ready.
   */
  run(
    gemm: GemmFn,
    ap: number,
    bp: number,
    cp: number,
    m: number,
    k: number,
    n: number,
    bias: number,
    helpers: number,
  ): boolean {
    const team = this.ready(helpers);
    if (team.length === 0) return false;
    this.lastTeamSize = team.length;
    const panels = Math.ceil(m / 4);
    const share = Math.ceil(panels / (team.length + 1));
    const ctl = this.control;
    const slices: [number, number][] = [];
    for (let s = 0, first = 0; s <= team.length; s++, first += share) {
      const rows = Math.max(0, Math.min(m, (first + share) * 4) - first * 4);
      slices.push([first, rows]);
    }
    const slice = (i: number): void => {
      const [first, rows] = slices[i + 1] as [number, number];
      if (rows > 0) gemm(ap + first * k * 16, bp, cp + first * 4 * n * 4, rows, k, n, n, bias);
    };
    team.forEach((w, i) => {
      const [first, rows] = slices[i + 1] as [number, number];
      const at = jobSlots + w * slotSize;
      const quit = ctl[at + 3] === quitOrder;
      ctl[at] = ap + first * k * 16;
      ctl[at + 1] = bp;
      ctl[at + 2] = cp + first * 4 * n * 4;
      ctl[at + 3] = quit ? quitOrder : rows;
      ctl[at + 4] = k;
      ctl[at + 5] = n;
      ctl[at + 6] = n;
      ctl[at + 7] = bias;
      Atomics.store(ctl, at + stateAt, 1);
    });
    Atomics.store(ctl, 1, team.length);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    const [, mine] = slices[0] as [number, number];
    if (mine > 0) gemm(ap, bp, cp, mine, k, n, n, bias);
    // This thread has nothing else to do: poll for the workers (up to ~1 ms)
    // rather than pay a futex wake-up on every product.
    for (let spin = 0; spin < 200_000 && Atomics.load(ctl, 1) !== 0; spin++);
    // Slices no worker has taken by now are computed here: their worker is
    // dead, or asleep long after this thread did its own share.
    team.forEach((w, i) => {
      const at = jobSlots + w * slotSize;
      if (Atomics.compareExchange(ctl, at + stateAt, 1, 3) !== 1) {
        this.missed[w] = 0;
        return;
      }
      slice(i);
      Atomics.sub(ctl, 1, 1);
      // Twice in a row: treat it as dead, and end it in case it is only stuck
      // (its place can then be refilled by setNumThreads).
      if (++(this.missed[w] as number) >= 2) {
        void this.workers[w]?.terminate();
        this.retire(w);
      }
    });
    const started = Date.now();
    for (let busy = Atomics.load(ctl, 1); busy !== 0; busy = Atomics.load(ctl, 1)) {
      if (Atomics.wait(ctl, 1, busy, 100) === 'timed-out' && Date.now() - started > patience) {
        // A worker took its slice and stopped answering (it died mid-product,
        // which no synchronous check can see): compute the taken slices here
        // and stop using the pool.
        this.broken = true;
        team.forEach((_, i) => slice(i));
        return true;
      }
    }
    return true;
  }
}
