/**
 * Worker threads that compute parts of one matrix product in the kernels'
 * shared memory, so a large product uses every core. Where threads can share
 * memory: Node (worker_threads and SharedArrayBuffer) and cross-origin
 * isolated browser pages (Web Workers from a Blob URL, which are handed the
 * compiled module and the shared memory in their first message); elsewhere
 * the pool is simply absent. A browser's main thread may not block, so there
 * it polls while workers finish (see `share`), and the workers start only on
 * the first large kernel call.
 *
 * A product is cut into chunks of rows (a few per thread), and every thread
 * taking part, this one included, takes the next chunk from a shared counter
 * until none is left. So no thread waits for another to start: a worker
 * asleep when the product begins joins when it wakes or finds nothing left,
 * and a worker that has died (its 'exit' event reaches this thread only once
 * it returns to the event loop) simply takes no chunk. Only a worker's 'exit'
 * or 'error' event takes it out of the pool. (An earlier design gave each
 * worker one fixed slice and took unstarted slices back, retiring the worker:
 * whenever a worker slept through a burst of small products the pool fell
 * back to one thread, and training steps became 20-30% slower.)
 *
 * Protocol, in a small shared Int32Array `control`:
 *   [0] the next chunk to take (set far past the end between products, so a
 *       late worker takes nothing)
 *   [1] chunks not finished yet; [2] how many chunks; [3] rows per chunk
 *   [4 ...] the job: ap, bp, cp, m, k, n, bias (byte pointers and sizes),
 *       at [11] its kind: 0 a product split by rows, 1 tasks (see below),
 *       at [12], [13] a product's epilogue: its activation code and the
 *       byte pointer that receives the values before it (0 for none), and
 *       at [14 ...] where A waits to be packed, each thread packing the
 *       rows of its chunks (A's byte pointer, row and column strides; 0 when
 *       A is packed already)
 *   [20 + 4w ...] worker w's slot: its wake word (1 when called to a
 *       product), a quit flag (a test hook), its ready flag
 * Each worker sleeps on its own wake word, so a product wakes only the
 * workers it may use and `setNumThreads(n)` is a real cap.
 *
 * A job of tasks (the convolutions, one task per sample) works the same way,
 * chunk by chunk, but each chunk is a call of the module's `convTask(job,
 * task, slot)` with the job's descriptor pointer at [4]: slot 0 is this
 * thread, slot w + 1 worker w, so each thread has scratch memory of its own.
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

type PackFn = (src: number, rs: number, cs: number, rows: number, k: number, width: number, dst: number) => void;

/** A not packed yet: where it waits in module memory (a byte pointer) and its strides, in floats. */
export interface UnpackedA {
  readonly pack: PackFn;
  readonly at: number;
  readonly rowStride: number;
  readonly colStride: number;
}

type GemmFn = (
  ap: number,
  bp: number,
  c: number,
  m: number,
  k: number,
  n: number,
  ldc: number,
  bias: number,
  act: number,
  pre: number,
) => void;

/** The module's `convTask(job, task, slot)`: task `task` of the job described at byte `job`, with slot `slot`'s scratch. */
export type TaskFn = (job: number, task: number, slot: number) => void;

/** At most this many workers: 64 threads with the main one. */
export const maxWorkers = 63;
const jobAt = 4;
const kindAt = jobAt + 7;
const actAt = kindAt + 1;
const preAt = kindAt + 2;
const aSourceAt = kindAt + 3;
const slotsFrom = 20;
const slotSize = 4;
const quitAt = 1;
const readyAt = 2;
/** Far past any chunk count: taking a chunk then finds none. */
const closed = 0x3fffffff;
/** Chunks per thread: enough to even out a late start, few enough that each chunk's rows still reuse B well. */
const chunksPerThread = 2;
/** How long the main thread waits for a chunk a worker has taken (ms) before computing it itself. */
const patience = 10_000;

// The worker's loop, shared by both hosts: it instantiates the kernels on
// the shared memory, says it is ready, then sleeps on its wake word between
// jobs (a worker may always block, in Node and in the browser alike).
const workerLoop = `
function serve({ bytes, module, memory, control, index }) {
  const compiled = module ?? new WebAssembly.Module(bytes);
  const { gemm, packf32, convTask } = new WebAssembly.Instance(compiled, { env: { memory } }).exports;
  const ctl = new Int32Array(control);
  const wake = ${slotsFrom} + index * ${slotSize};
  Atomics.store(ctl, wake + ${readyAt}, 1);
  for (;;) {
    // Spin a little (about 0.3 ms) before sleeping, as OpenMP runtimes do: a
    // training step issues products back to back, and waking a sleeping thread
    // took longer here than a batch-32 product's whole slice.
    for (let spin = 0; spin < 50000 && Atomics.load(ctl, wake) === 0; spin++);
    Atomics.wait(ctl, wake, 0);
    if (ctl[wake + ${quitAt}] !== 0) break;
    Atomics.store(ctl, wake, 0);
    for (;;) {
      const chunk = Atomics.add(ctl, 0, 1);
      if (chunk >= Atomics.load(ctl, 2)) break;
      if (ctl[${kindAt}] === 1) {
        convTask(ctl[${jobAt}], chunk, index + 1);
      } else {
        const rows = ctl[3];
        const first = chunk * rows;
        const m = ctl[${jobAt} + 3], k = ctl[${jobAt} + 4], n = ctl[${jobAt} + 5], pre = ctl[${preAt}];
        const src = ctl[${aSourceAt}];
        if (src !== 0) packf32(src + first * ctl[${aSourceAt} + 1] * 4, ctl[${aSourceAt} + 1], ctl[${aSourceAt} + 2], Math.min(rows, m - first), k, 4, ctl[${jobAt}] + first * k * 4);
        gemm(ctl[${jobAt}] + first * k * 4, ctl[${jobAt} + 1], ctl[${jobAt} + 2] + first * n * 4, Math.min(rows, m - first), k, n, n, ctl[${jobAt} + 6], ctl[${actAt}], pre === 0 ? 0 : pre + first * n * 4);
      }
      if (Atomics.sub(ctl, 1, 1) === 1) Atomics.notify(ctl, 1);
    }
  }
  Atomics.store(ctl, wake + ${readyAt}, 0);
}
`;

// Node: CommonJS evaluated by worker_threads, its job in workerData.
const nodeWorkerSource = `${workerLoop}
serve(require('node:worker_threads').workerData);
`;

// The browser: a classic worker started from a Blob URL (so no bundler has
// to find a worker file), its job in the first message: the compiled module,
// the shared memory and the control words.
const browserWorkerSource = `${workerLoop}
self.onmessage = (event) => serve(event.data);
`;

/** The browser's Worker, as far as the pool uses it. */
interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'error', listener: () => void): void;
  terminate(): void;
}

interface BrowserHost {
  Worker: new (url: string, options?: { name?: string }) => WebWorkerLike;
  URL: { createObjectURL(blob: unknown): string };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/** The browser's worker API where this page (or worker) may share memory with workers: cross-origin isolated. */
function browserHost(): BrowserHost | null {
  const g = globalThis as unknown as Partial<BrowserHost>;
  if (g.crossOriginIsolated !== true) return null;
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function') return null;
  if (typeof g.URL?.createObjectURL !== 'function') return null;
  return g as BrowserHost;
}

/** A browser worker behind the pool's Node-shaped interface (a browser worker has no 'exit' event; terminate stands for it). */
function adaptWebWorker(worker: WebWorkerLike): WorkerLike {
  const exits: ((arg: unknown) => void)[] = [];
  return {
    unref() {},
    on(event, listener) {
      if (event === 'error') worker.addEventListener('error', () => listener(undefined));
      else exits.push(listener);
    },
    terminate() {
      worker.terminate();
      for (const exit of exits) exit(0);
      return Promise.resolve(0);
    },
  };
}

function builtin<T>(id: string): T | null {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (host?.getBuiltinModule?.(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * True where a threaded pool can exist: Node with worker_threads and shared
 * memory, or a cross-origin-isolated page or worker with Web Workers.
 */
export function threadsAvailable(): boolean {
  return (
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    (builtin<WorkerThreadsLike>('node:worker_threads') !== null || browserHost() !== null)
  );
}

/** The number of cores Node or the browser reports (1 where neither can tell). */
export function coreCount(): number {
  const os = builtin<OsLike>('node:os');
  if (os !== null) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const reported = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof reported === 'number' && reported >= 1 ? Math.floor(reported) : 1;
}

export class GemmPool {
  private readonly control: Int32Array;
  private readonly spawn: (index: number) => WorkerLike;
  /** Worker w, or null once it has exited or failed (its place can be refilled). */
  private readonly workers: (WorkerLike | null)[] = [];
  private broken = false;
  /** Workers to start on the first large kernel call ({@link warm}); 0 once started. */
  private pending = 0;
  /**
   * Whether this thread may block in `Atomics.wait` while workers finish:
   * Node's main thread may, a browser's main thread may not (it throws), so
   * there this thread only ever spins on `Atomics.load`.
   */
  readonly canBlock: boolean;
  /** @internal How many workers the last threaded product was split with (tests check the cap with it). */
  lastTeamSize = 0;

  private constructor(control: Int32Array, spawn: (index: number) => WorkerLike, canBlock: boolean) {
    this.control = control;
    this.spawn = spawn;
    this.canBlock = canBlock;
  }

  /**
   * A pool with one worker per extra core (none on a single core); null
   * where threads are unavailable. In Node the workers start now; in the
   * browser on the first large kernel call ({@link warm}), since each one
   * is a Blob-URL worker that a page using only small tensors never needs.
   */
  static start(bytes: Uint8Array, module: WebAssembly.Module, memory: WebAssembly.Memory): GemmPool | null {
    const control = new Int32Array(new SharedArrayBuffer((slotsFrom + maxWorkers * slotSize) * 4));
    control[0] = closed;
    const threads = builtin<WorkerThreadsLike>('node:worker_threads');
    if (threads !== null) {
      const pool = new GemmPool(
        control,
        (index) =>
          new threads.Worker(nodeWorkerSource, {
            eval: true,
            workerData: { bytes, memory, control: control.buffer, index },
          }),
        true,
      );
      pool.grow(coreCount() - 1);
      return pool;
    }
    const host = browserHost();
    if (host === null) return null;
    let url: string | null = null;
    const pool = new GemmPool(
      control,
      (index) => {
        url ??= host.URL.createObjectURL(new host.Blob([browserWorkerSource], { type: 'text/javascript' }));
        const worker = new host.Worker(url, { name: `chainrule-kernels-${index}` });
        worker.postMessage({ module, memory, control: control.buffer, index });
        return adaptWebWorker(worker);
      },
      false,
    );
    pool.pending = coreCount() - 1;
    return pool;
  }

  /** Starts the workers a lazily started pool still owes (once; later calls do nothing). */
  warm(): void {
    if (this.pending <= 0) return;
    const count = this.pending;
    this.pending = 0;
    this.grow(Math.max(count, this.size));
  }

  /**
   * Starts workers until `count` are alive (at most {@link maxWorkers}),
   * refilling the places of workers that have exited. They start in the
   * background; a product uses only the ones ready by then.
   */
  grow(count: number): void {
    if (this.pending > 0) {
      // Not started yet: only the size changes.
      this.pending = Math.min(count, maxWorkers);
      return;
    }
    const target = Math.min(count, maxWorkers);
    for (let index = 0; index < maxWorkers && this.size < target; index++) {
      if ((this.workers[index] ?? null) !== null) continue;
      const at = slotsFrom + index * slotSize;
      Atomics.store(this.control, at, 0);
      Atomics.store(this.control, at + quitAt, 0);
      Atomics.store(this.control, at + readyAt, 0);
      let worker: WorkerLike;
      try {
        worker = this.spawn(index);
      } catch {
        // A page's policy may refuse workers (CSP worker-src): no pool, one thread.
        return;
      }
      this.workers[index] = worker;
      // Delivered once this thread is back in its event loop: the worker gets
      // no more work and its place may be refilled.
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
    if (this.broken) return 0;
    let alive = 0;
    for (const w of this.workers) if (w !== null && w !== undefined) alive++;
    return alive;
  }

  /** The workers alive plus those a lazily started pool will start on its first large call. */
  get planned(): number {
    return this.broken ? 0 : this.size + this.pending;
  }

  private retire(index: number): void {
    this.workers[index] = null;
    Atomics.store(this.control, slotsFrom + index * slotSize + readyAt, 0);
  }

  /** How many workers have started and wait for work. */
  get readyCount(): number {
    return this.ready(maxWorkers).length;
  }

  /** Up to `limit` workers ready for work now (their indices: worker w computes in slot w + 1 of a job of tasks). */
  ready(limit: number): number[] {
    const out: number[] = [];
    if (this.broken) return out;
    for (let w = 0; w < this.workers.length && out.length < limit; w++) {
      if (this.workers[w] != null && Atomics.load(this.control, slotsFrom + w * slotSize + readyAt) === 1) out.push(w);
    }
    return out;
  }

  /** @internal Test hook: ends worker w's thread, as a crash would; resolves once it has exited. */
  terminateWorker(w: number): Promise<number> | null {
    return this.workers[w]?.terminate() ?? null;
  }

  /** @internal Test hook: worker w quits at its next job without taking it, before any event says so. */
  quietlyStopWorker(w: number): void {
    Atomics.store(this.control, slotsFrom + w * slotSize + quitAt, 1);
  }

  /**
   * C[m×n] = act(A·B + bias) with chunks of rows (multiples of 4, A's panel
   * height) shared between up to `helpers` ready workers and this thread
   * (`act` and `pre` as the module's gemm takes them). With `unpacked`, A's
   * panels at `ap` are not written yet: each thread packs the rows of its
   * chunks first, so packing is shared too. Returns false, having done
   * nothing, when no worker is ready.
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
    act: number,
    pre: number,
    unpacked: UnpackedA | null,
    helpers: number,
  ): boolean {
    const team = this.ready(helpers);
    if (team.length === 0) return false;
    const ctl = this.control;
    const rows = Math.ceil(Math.ceil(m / 4) / ((team.length + 1) * chunksPerThread)) * 4;
    const chunks = Math.ceil(m / rows);
    const compute = (chunk: number): void => {
      const first = chunk * rows;
      const rowsPre = pre === 0 ? 0 : pre + first * n * 4;
      const live = Math.min(rows, m - first);
      if (unpacked !== null) {
        const { pack, at, rowStride, colStride } = unpacked;
        pack(at + first * rowStride * 4, rowStride, colStride, live, k, 4, ap + first * k * 4);
      }
      gemm(ap + first * k * 4, bp, cp + first * n * 4, live, k, n, n, bias, act, rowsPre);
    };
    ctl[jobAt] = ap;
    ctl[jobAt + 1] = bp;
    ctl[jobAt + 2] = cp;
    ctl[jobAt + 3] = m;
    ctl[jobAt + 4] = k;
    ctl[jobAt + 5] = n;
    ctl[jobAt + 6] = bias;
    ctl[kindAt] = 0;
    ctl[actAt] = act;
    ctl[preAt] = pre;
    ctl[aSourceAt] = unpacked?.at ?? 0;
    ctl[aSourceAt + 1] = unpacked?.rowStride ?? 0;
    ctl[aSourceAt + 2] = unpacked?.colStride ?? 0;
    ctl[3] = rows;
    // Each chunk writes its own rows of C, so computing them all again is safe.
    this.share(team, chunks, compute, () => {
      for (let chunk = 0; chunk < chunks; chunk++) compute(chunk);
    });
    return true;
  }

  /**
   * Runs tasks 0 … tasks-1 of the job described at byte `job` with `task`
   * (the module's convTask), shared between this thread (slot 0) and the
   * workers of `team` (from {@link ready}; worker w in slot w + 1). If a
   * worker stops answering mid-job, `redo` must compute the whole job again
   * on this thread (undoing what tasks accumulate).
   */
  runTasks(task: TaskFn, job: number, tasks: number, team: readonly number[], redo: () => void): void {
    const ctl = this.control;
    ctl[jobAt] = job;
    ctl[kindAt] = 1;
    this.share(team, tasks, (t) => task(job, t, 0), redo);
  }

  /** Hands out `chunks` chunks to `team` and this thread, and waits until all are done. */
  private share(team: readonly number[], chunks: number, compute: (chunk: number) => void, redo: () => void): void {
    this.lastTeamSize = team.length;
    const ctl = this.control;
    Atomics.store(ctl, 2, chunks);
    Atomics.store(ctl, 1, chunks);
    // Opens the job: from here a worker's next take is chunk 0.
    Atomics.store(ctl, 0, 0);
    for (const w of team) {
      const wake = slotsFrom + w * slotSize;
      Atomics.store(ctl, wake, 1);
      Atomics.notify(ctl, wake, 1);
    }
    let done = 0;
    for (let chunk = Atomics.add(ctl, 0, 1); chunk < chunks; chunk = Atomics.add(ctl, 0, 1)) {
      compute(chunk);
      done++;
    }
    // The rest are chunks workers have taken: poll for them briefly (a futex
    // wake-up costs more than a small product's chunk), then block. A
    // browser's main thread may not block: it keeps polling, which costs
    // nothing extra since every worker taking part has reported ready and is
    // already computing the chunk it took.
    const open = Atomics.sub(ctl, 1, done) - done;
    for (let spin = 0; open !== 0 && spin < 200_000 && Atomics.load(ctl, 1) !== 0; spin++);
    const started = Date.now();
    for (let busy = Atomics.load(ctl, 1); busy !== 0; busy = Atomics.load(ctl, 1)) {
      const waited = this.canBlock ? Atomics.wait(ctl, 1, busy, 100) === 'timed-out' : true;
      if (waited && Date.now() - started > patience) {
        // A worker took a chunk and stopped answering (it died mid-job,
        // which no synchronous check can see): compute the job here and stop
        // using the pool.
        this.broken = true;
        redo();
        break;
      }
    }
    Atomics.store(ctl, 0, closed);
    // Workers that slept through the job must not join a later one they are not called to.
    for (const w of team) Atomics.compareExchange(ctl, slotsFrom + w * slotSize, 1, 0);
  }
}
