/**
 * TrainerClient through its seam: a fake Worker records what the page posts and plays the
 * worker's side (messages, a crash, an unreadable message). Crash → restart → replay of the last
 * init, and nothing from a dead worker reaches the page.
 */
import { describe, expect, it } from 'vitest';
import { recipe } from '../optim/config';
import type { LabSettings } from '../lab/types';
import { TrainerClient } from './TrainerClient';
import type { FromTrainer, ToTrainer } from './trainerProtocol';

class FakeWorker {
  posted: ToTrainer[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromTrainer>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(msg: ToTrainer) {
    this.posted.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker sends a message to the page. */
  emit(msg: FromTrainer) {
    this.onmessage?.({ data: msg } as MessageEvent<FromTrainer>);
  }
  /** An exception escapes the worker; returns whether the page prevented the default report. */
  crash(message: string): boolean {
    let prevented = false;
    const event = { message, preventDefault: () => void (prevented = true) };
    this.onerror?.(event as unknown as ErrorEvent);
    return prevented;
  }
}

const SETTINGS: LabSettings = {
  task: { kind: 'modadd', p: 5, trainFraction: 0.6 },
  model: { layers: 1, dModel: 32, heads: 2, mlp: 32, dropout: 0 },
  runs: [{ label: 'AdaSAM', config: recipe('adasam', 'torch', { lr: 1e-3 }) }],
  batch: 8,
  steps: 6,
  evalEvery: 3,
  seed: 1,
  backend: 'cpu',
};

function setup() {
  const workers: FakeWorker[] = [];
  const client = new TrainerClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  const received: FromTrainer[] = [];
  client.onMessage((m) => received.push(m));
  return { client, workers, received };
}

describe('TrainerClient', () => {
  it('posts to the worker and passes its messages on', () => {
    const { client, workers, received } = setup();
    expect(workers).toHaveLength(1);
    client.send({ type: 'init', settings: SETTINGS });
    client.send({ type: 'start' });
    expect(workers[0].posted.map((m) => m.type)).toEqual(['init', 'start']);
    workers[0].emit({ type: 'status', state: 'running', step: 0 });
    expect(received).toEqual([{ type: 'status', state: 'running', step: 0 }]);
  });

  it('a crash becomes one error message, ends the worker, and restart replays the last init', () => {
    const { client, workers, received } = setup();
    client.send({ type: 'init', settings: { ...SETTINGS, seed: 1 } });
    client.send({ type: 'init', settings: SETTINGS });
    client.send({ type: 'start' });
    expect(workers[0].crash('out of memory')).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(received).toEqual([
      {
        type: 'error',
        phase: 'crash',
        message: 'the training worker crashed: out of memory. Restart to continue.',
        recoverable: true,
      },
    ]);
    // a late message from the dead worker is not delivered
    workers[0].emit({ type: 'status', state: 'done', step: 6 });
    expect(received).toHaveLength(1);

    client.restart();
    expect(workers).toHaveLength(2);
    // only the newest init, and not the start: the page starts again once the new worker is ready
    expect(workers[1].posted).toEqual([{ type: 'init', settings: SETTINGS }]);
    workers[1].emit({ type: 'status', state: 'idle', step: 0 });
    expect(received.at(-1)).toEqual({ type: 'status', state: 'idle', step: 0 });
  });

  it('an unreadable message is a crash too', () => {
    const { workers, received } = setup();
    workers[0].onmessageerror?.();
    expect(workers[0].terminated).toBe(true);
    expect(received[0]).toMatchObject({ type: 'error', phase: 'crash' });
    expect((received[0] as { message: string }).message).toMatch(/could not be read/);
  });

  it('restart without an init starts a bare worker; dispose says so to the worker and stops it', () => {
    const { client, workers, received } = setup();
    client.restart();
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].posted).toEqual([]);
    client.dispose();
    expect(workers[1].posted).toEqual([{ type: 'dispose' }]);
    expect(workers[1].terminated).toBe(true);
    workers[1].emit({ type: 'status', state: 'done', step: 0 });
    expect(received).toEqual([]);
  });
});
