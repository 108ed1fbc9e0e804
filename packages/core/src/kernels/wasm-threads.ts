/**
 * Worker threads that compute slices of one matrix product in the kernels'
 * shared memory, so a large product uses every core. Only where threads can
 * block and share memory synchronously (Node: worker_threads and
 * SharedArrayBuffer); elsewhere the pool is simply absent.
 *
 * Protocol, in a small shared Int32Array `control`:
 *   [0] job number (bumped by the main thread to start a job; -1 stops the workers)
 *   [1] how many workers are still busy with the current job
 *   [2 + w] 1 once worker w is ready (only ready workers are given work)
 *   [16 + 8w ...] worker w's job: ap, bp, cp, m, k, n, ldc, bias (byte pointers, sizes)
 * A worker waits on [0], runs the kernel on its slice, decrements [1] and
 * notifies. The main thread runs its own slice meanwhile, then waits on [1].
 * Both sides poll briefly before they block (see below).
 * A worker slow to start is not waited for: it gets work once it is ready.
 */

interface WorkerLike {
  unref(): void;
  on(event: 'error' | 'exit', listener: (arg: unknown) => void): void;
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
const slotSize = 8;
/** How long the main thread waits for a worker before taking its slice back (ms). */
const patience = 10_000;

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
  private readonly workers: number;
  private broken = false;

  private constructor(control: Int32Array, workers: number) {
    this.control = control;
    this.workers = workers;
  }

  /** Starts one worker per extra core (none on a single core); null where threads are unavailable. */
  static start(bytes: Uint8Array, memory: WebAssembly.Memory): GemmPool | null {
    const threads = builtin<WorkerThreadsLike>('node:worker_threads');
    const os = builtin<OsLike>('node:os');
    if (threads === null || os === null) return null;
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const workers = Math.min(Math.max(cores - 1, 0), jobSlots - 2);
    if (workers === 0) return null;
    const control = new Int32Array(new SharedArrayBuffer((jobSlots + workers * slotSize) * 4));
    const pool = new GemmPool(control, workers);
    for (let index = 0; index < workers; index++) {
      const worker = new threads.Worker(workerSource, {
        eval: true,
        workerData: { bytes, memory, control: control.buffer, index },
      });
      worker.on('error', () => pool.fail());
      worker.on('exit', () => pool.fail());
      worker.unref();
    }
    return pool;
  }

  /** The number of worker threads (ready or still starting). */
  get size(): number {
    return this.broken ? 0 : this.workers;
  }

  private fail(): void {
    this.broken = true;
  }

  /** How many workers have started and wait for work. */
  get readyCount(): number {
    return this.ready().length;
  }

  /** The workers ready for work now. */
  private ready(): number[] {
    const out: number[] = [];
    if (this.broken) return out;
    for (let w = 0; w < this.workers; w++) if (Atomics.load(this.control, 2 + w) === 1) out.push(w);
    return out;
  }

  /**
   * C[m×n] = A·B with the rows split between the ready workers and this
   * thread (in multiples of 4, A's panel height). Returns false, having done
   * nothing, when no worker is ready.
   */
  run(gemm: GemmFn, ap: number, bp: number, cp: number, m: number, k: number, n: number, bias: number): boolean {
    const helpers = this.ready();
    if (helpers.length === 0) return false;
    const panels = Math.ceil(m / 4);
    const share = Math.ceil(panels / (helpers.length + 1));
    const ctl = this.control;
    const slices: [number, number][] = [];
    for (let s = 0, first = 0; s <= helpers.length; s++, first += share) {
      const rows = Math.max(0, Math.min(m, (first + share) * 4) - first * 4);
      slices.push([first, rows]);
    }
    helpers.forEach((w, i) => {
      const [first, rows] = slices[i + 1] as [number, number];
      const at = jobSlots + w * slotSize;
      ctl[at] = ap + first * k * 16;
      ctl[at + 1] = bp;
      ctl[at + 2] = cp + first * 4 * n * 4;
      ctl[at + 3] = rows;
      ctl[at + 4] = k;
      ctl[at + 5] = n;
      ctl[at + 6] = n;
      ctl[at + 7] = bias;
    });
    for (let w = 0; w < this.workers; w++) if (!helpers.includes(w)) ctl[jobSlots + w * slotSize + 3] = 0;
    Atomics.store(ctl, 1, this.workers);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    const [, mine] = slices[0] as [number, number];
    if (mine > 0) gemm(ap, bp, cp, mine, k, n, n, bias);
    // This thread has nothing else to do: poll for the workers (up to ~1 ms)
    // rather than pay a futex wake-up on every product.
    for (let spin = 0; spin < 200_000 && Atomics.load(ctl, 1) !== 0; spin++);
    const started = Date.now();
    for (let busy = Atomics.load(ctl, 1); busy !== 0; busy = Atomics.load(ctl, 1)) {
      if (Atomics.wait(ctl, 1, busy, 100) === 'timed-out' && Date.now() - started > patience) {
        // A worker stopped answering: compute its slices here and stop using the pool.
        this.broken = true;
        helpers.forEach((_, i) => {
          const [first, rows] = slices[i + 1] as [number, number];
          if (rows > 0) gemm(ap + first * k * 16, bp, cp + first * 4 * n * 4, rows, k, n, n, bias);
        });
        return true;
      }
    }
    return true;
  }
}
