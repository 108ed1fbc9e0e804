import { describe, expect, it } from 'vitest';
import type { FromWorker, Progress } from '../../src/train/protocol';
import { TrainingSession } from '../../src/train/session';
import { DEFAULT_CONFIG } from '../../src/train/trainer';

/** A session whose "later" queue the test drains by hand, and whose clock advances 1 ms per reading. */
function harness(sliceMs = 20) {
  const posted: FromWorker[] = [];
  const queue: (() => void)[] = [];
  let clock = 0;
  const session = new TrainingSession(
    { post: (m) => posted.push(m), later: (f) => queue.push(f), now: () => clock++ },
    { sliceMs, resolution: 8 },
  );
  const runQueued = (limit: number) => {
    for (let i = 0; i < limit && queue.length > 0; i++) (queue.shift() as () => void)();
  };
  const progress = () => posted.filter((m): m is Progress => m.type === 'progress');
  return { session, posted, queue, runQueued, progress };
}

describe('TrainingSession', () => {
  it('answers configure with the dataset and a first snapshot', () => {
    const h = harness();
    h.session.receive({ type: 'configure', config: { ...DEFAULT_CONFIG, points: 60 } });
    expect(h.posted.map((m) => m.type)).toEqual(['dataset', 'progress']);
    const data = h.posted[0] as Extract<FromWorker, { type: 'dataset' }>;
    expect(data.labels.length).toBe(60);
    const first = h.progress()[0] as Progress;
    expect(first.steps).toBe(0);
    expect(first.grid.length).toBe(64);
    expect(first.running).toBe(false);
  });

  it('trains in slices between messages, and pause stops it', () => {
    const h = harness();
    h.session.receive({ type: 'configure', config: DEFAULT_CONFIG });
    h.session.receive({ type: 'start' });
    h.runQueued(3);
    const snapshots = h.progress();
    // A 20 ms slice on a clock that ticks once per reading: at most ~19 steps per slice.
    const stepsPerSlice = snapshots.slice(1).map((p, i) => p.steps - (snapshots[i] as Progress).steps);
    expect(stepsPerSlice.length).toBe(3);
    for (const s of stepsPerSlice) expect(s >= 1 && s < 20).toBe(true);
    expect(h.queue.length).toBe(1);
    h.session.receive({ type: 'pause' });
    h.runQueued(5);
    const last = h.progress().at(-1) as Progress;
    expect(last.running).toBe(false);
    expect(h.queue.length).toBe(0);
  });

  it('takes exactly the requested steps, and reset starts again from step 0', () => {
    const h = harness(10_000);
    h.session.receive({ type: 'configure', config: DEFAULT_CONFIG });
    h.session.receive({ type: 'step', count: 7 });
    h.runQueued(10);
    expect((h.progress().at(-1) as Progress).steps).toBe(7);
    expect((h.progress().at(-1) as Progress).running).toBe(false);
    h.session.receive({ type: 'reset' });
    expect((h.progress().at(-1) as Progress).steps).toBe(0);
  });

  it('answers a bad configuration with an error and keeps the previous network', () => {
    const h = harness(10_000);
    h.session.receive({ type: 'configure', config: DEFAULT_CONFIG });
    h.session.receive({ type: 'step', count: 3 });
    h.runQueued(5);
    h.session.receive({ type: 'configure', config: { ...DEFAULT_CONFIG, lr: -1 } });
    const error = h.posted.at(-1);
    expect(error).toEqual({ type: 'error', message: expect.stringMatching(/^Trainer: lr must be in/) });
    h.session.receive({ type: 'step', count: 2 });
    h.runQueued(5);
    expect((h.progress().at(-1) as Progress).steps).toBe(5);
  });
});
