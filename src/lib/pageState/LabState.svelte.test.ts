/**
 * LabState, the lab page's reducer of worker messages, through its seam: a fake TrainerPort
 * records what the page sends, and the tests play the worker's side as message sequences
 * (trainerProtocol.ts's flow). Timers are Vitest's fake ones, so the 100 ms flush of step
 * metrics happens exactly when a test advances the clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recipe } from '../optim/config';
import type { LabSettings, StepMetrics, TaskInfo } from '../lab/types';
import type { FromTrainer, ToTrainer } from '../worker/trainerProtocol';
import { LabState, type TrainerPort } from './LabState.svelte';

class FakePort implements TrainerPort {
  sent: ToTrainer[] = [];
  restarts = 0;
  disposed = false;
  #handler: ((msg: FromTrainer) => void) | null = null;
  send(msg: ToTrainer) {
    this.sent.push(msg);
  }
  onMessage(handler: (msg: FromTrainer) => void) {
    this.#handler = handler;
    return () => (this.#handler = null);
  }
  restart() {
    this.restarts++;
  }
  dispose() {
    this.disposed = true;
  }
  /** The worker's side: delivers messages in order. */
  emit(...msgs: FromTrainer[]) {
    for (const m of msgs) this.#handler?.(m);
  }
  types() {
    return this.sent.map((m) => m.type);
  }
}

const SETTINGS: LabSettings = {
  task: { kind: 'modadd', p: 5, trainFraction: 0.6 },
  model: { layers: 1, dModel: 32, heads: 2, mlp: 32, dropout: 0 },
  runs: [
    { label: 'AdaSAM', config: recipe('adasam', 'torch', { lr: 1e-3 }) },
    { label: 'SGD', config: recipe('sgd', 'paper', { lr: 0.1 }) },
  ],
  batch: 8,
  steps: 6,
  evalEvery: 3,
  seed: 1,
  backend: 'cpu',
};

const TASK = { kind: 'modadd', trainSize: 15, testSize: 10 } as TaskInfo;
const READY: FromTrainer = {
  type: 'ready',
  task: TASK,
  params: [{ name: 'tokEmb', shape: [6, 32], group: 'embed' }],
  paramCount: 1234,
  estimatedBytes: 5678,
  runs: ['AdaSAM', 'SGD'],
};

const metric = (run: number, step: number, loss = 1): StepMetrics => ({
  run,
  step,
  gradEvals: step,
  wallMs: step,
  loss,
  sharpness: null,
  sNorm: 1,
  deltaNorm: 0,
  cosSG: 1,
});

let port: FakePort;
let lab: LabState;

beforeEach(() => {
  vi.useFakeTimers();
  port = new FakePort();
  lab = new LabState(() => port);
});

afterEach(() => {
  lab.dispose();
  vi.useRealTimers();
});

describe('LabState', () => {
  it('start on a fresh page: init, then start once ready; the status drives the state', () => {
    lab.start(SETTINGS);
    expect(port.sent).toEqual([{ type: 'init', settings: SETTINGS }]);
    expect(lab.initializing).toBe(true);
    port.emit({ type: 'backend-info', name: 'cpu', reason: 'asked for', fallbacks: [] }, READY);
    expect(port.types()).toEqual(['init', 'start']);
    expect(lab).toMatchObject({ ready: true, initializing: false, paramCount: 1234 });
    expect(lab.backend).toEqual({
      name: 'cpu',
      reason: 'asked for',
      rejected: [],
      isFallbackAdapter: false,
    });
    port.emit({ type: 'status', state: 'running', step: 0 });
    expect(lab.running).toBe(true);
    expect(lab.canRequest).toBe(false);
  });

  it('buffers step metrics and publishes them per run at the next flush', () => {
    lab.start(SETTINGS);
    port.emit(READY, { type: 'status', state: 'running', step: 0 });
    port.emit({ type: 'step-metrics', metrics: [metric(0, 1), metric(1, 1), metric(0, 2)] });
    expect(lab.steps).toEqual([[], []]);
    vi.advanceTimersByTime(100);
    expect(lab.steps.map((s) => s.map((m) => m.step))).toEqual([[1, 2], [1]]);
    expect(lab.step).toBe(2);
    // a status change flushes at once
    port.emit({ type: 'step-metrics', metrics: [metric(1, 2)] });
    port.emit({ type: 'status', state: 'done', step: 6 });
    expect(lab.steps[1].map((m) => m.step)).toEqual([1, 2]);
    expect(lab).toMatchObject({ status: 'done', step: 6, canRequest: true });
  });

  it('a restart of a trained race ignores the old race’s metrics still in flight', () => {
    lab.start(SETTINGS);
    port.emit(READY, { type: 'status', state: 'running', step: 0 });
    port.emit({ type: 'status', state: 'stopped', step: 3 });
    lab.start(SETTINGS);
    // not fresh any more (results on screen): built again, started on ready
    expect(port.types()).toEqual(['init', 'start', 'init']);
    port.emit(READY);
    expect(port.types().at(-1)).toBe('start');
    port.emit(
      { type: 'step-metrics', metrics: [metric(0, 4)] },
      {
        type: 'eval-metrics',
        metrics: { ...metric(0, 4), testLoss: 1, testAcc: 0, trainLoss: 1, trainAcc: 0 },
      },
      { type: 'status', state: 'stopped', step: 4 },
    );
    vi.advanceTimersByTime(100);
    expect(lab.steps).toEqual([[], []]);
    expect(lab.evals).toEqual([[], []]);
    expect(lab.status).toBe('idle');
    port.emit(
      { type: 'status', state: 'running', step: 0 },
      { type: 'step-metrics', metrics: [metric(0, 1)] },
    );
    vi.advanceTimersByTime(100);
    expect(lab.steps[0].map((m) => m.step)).toEqual([1]);
  });

  it('prepare builds once for the same settings and never wipes results on screen', () => {
    lab.prepare(SETTINGS);
    lab.prepare(SETTINGS);
    expect(port.types()).toEqual(['init']);
    port.emit(READY);
    lab.start(SETTINGS);
    expect(port.types()).toEqual(['init', 'start']);
    port.emit(
      { type: 'status', state: 'running', step: 0 },
      { type: 'step-metrics', metrics: [metric(0, 1)] },
    );
    vi.advanceTimersByTime(100);
    lab.prepare({ ...SETTINGS, seed: 2 });
    expect(port.types()).toEqual(['init', 'start']);
    expect(lab.differsFrom({ ...SETTINGS, seed: 2 })).toBe(true);
    expect(lab.differsFrom(SETTINGS)).toBe(false);
  });

  it('a settings error ends the build; the same settings are built again next time', () => {
    lab.prepare(SETTINGS);
    port.emit({ type: 'error', phase: 'settings', message: 'too large', recoverable: true });
    expect(lab).toMatchObject({ ready: false, initializing: false });
    expect(lab.error).toEqual({ phase: 'settings', message: 'too large', recoverable: true });
    lab.prepare(SETTINGS);
    expect(port.types()).toEqual(['init', 'init']);
  });

  it('routes request answers and failures by request id', () => {
    lab.start(SETTINGS);
    port.emit(
      READY,
      { type: 'status', state: 'running', step: 0 },
      { type: 'status', state: 'done', step: 6 },
    );
    lab.requestHessian(1, 5);
    lab.requestSlice(0, 'filter-normalized', 5, 1);
    const [hessian, slice] = port.sent.slice(-2) as [
      Extract<ToTrainer, { type: 'hessian' }>,
      Extract<ToTrainer, { type: 'slice' }>,
    ];
    expect(hessian).toMatchObject({ type: 'hessian', run: 1, iters: 5 });
    expect(lab.hessian[1]).toEqual({ state: 'pending', requestId: hessian.requestId });
    port.emit({
      type: 'error',
      phase: 'request',
      message: 'no curvature',
      recoverable: true,
      requestId: hessian.requestId,
    });
    expect(lab.hessian[1]).toEqual({ state: 'failed', message: 'no curvature' });
    port.emit({ type: 'slice-progress', requestId: slice.requestId, done: 10, total: 25 });
    expect(lab.slice?.progress).toEqual({ done: 10, total: 25 });
    // an answer to a request nobody waits for any more changes nothing
    port.emit({ type: 'slice-progress', requestId: 999, done: 1, total: 25 });
    expect(lab.slice?.progress).toEqual({ done: 10, total: 25 });
    lab.cancelRequest('slice');
    expect(port.sent.at(-1)).toEqual({ type: 'cancel', requestId: slice.requestId });
    expect(lab.slice).toMatchObject({ progress: null, error: 'cancelled' });
    expect(lab.error).toBeNull();
  });

  it('a crash fails what was pending; restart asks for a fresh worker and starts on ready', () => {
    lab.start(SETTINGS);
    port.emit(
      READY,
      { type: 'status', state: 'running', step: 0 },
      { type: 'status', state: 'paused', step: 2 },
    );
    lab.requestHessian(0);
    lab.requestSpeedup(SETTINGS.runs[0].config, [4, 8], 10);
    port.emit({ type: 'error', phase: 'crash', message: 'worker died', recoverable: true });
    expect(lab).toMatchObject({ status: 'stopped', ready: false, canRequest: false });
    expect(lab.hessian[0]).toEqual({ state: 'failed', message: 'the worker stopped' });
    expect(lab.speedup).toMatchObject({ progress: null, error: 'the worker stopped' });

    const sentBefore = port.sent.length;
    lab.restart();
    expect(port.restarts).toBe(1);
    // the client replays init itself: the page sends nothing until the new worker is ready
    expect(port.sent).toHaveLength(sentBefore);
    expect(lab).toMatchObject({ error: null, status: 'idle', step: 0, initializing: true });
    expect(lab.hessian).toEqual([null, null]);
    port.emit(READY);
    expect(port.sent.at(-1)).toEqual({ type: 'start' });
  });

  it('dispose unsubscribes and disposes the port', () => {
    lab.start(SETTINGS);
    lab.dispose();
    expect(port.disposed).toBe(true);
    port.emit(READY);
    expect(lab.ready).toBe(false);
  });
});
