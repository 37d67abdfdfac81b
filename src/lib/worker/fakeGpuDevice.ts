/**
 * A stand-in for a GPUDevice's error reporting, for Node tests (tests only), modelled on the
 * WebGPU spec (§ Errors & Debugging): an error goes to the innermost pushed scope whose filter
 * matches it, else it is dispatched as an `uncapturederror` event; popErrorScope resolves with
 * the scope's first error, or null.
 */
import type { ErrorReportingDevice, GpuErrorLike } from './glueFailure';

/** Errors named as the browser names them (the classification reads the class name). */
export class GPUOutOfMemoryError extends Error {}
export class GPUValidationError extends Error {}
export class GPUInternalError extends Error {}

type Filter = 'out-of-memory' | 'validation' | 'internal';
const filterOf = (e: GpuErrorLike): Filter =>
  e instanceof GPUOutOfMemoryError
    ? 'out-of-memory'
    : e instanceof GPUValidationError
      ? 'validation'
      : 'internal';

export class FakeGpuDevice implements ErrorReportingDevice {
  readonly scopes: { filter: Filter; error: GpuErrorLike | null }[] = [];
  readonly #listeners = new Set<(e: { error: GpuErrorLike }) => void>();
  pushed = 0;
  /** called after each push, so a test can report an error inside that scope */
  onPush: (() => void) | null = null;
  /** a lost device: pops are refused */
  lost = false;

  pushErrorScope(filter: Filter): void {
    this.pushed++;
    this.scopes.push({ filter, error: null });
    this.onPush?.();
  }

  popErrorScope(): Promise<GpuErrorLike | null> {
    const scope = this.scopes.pop();
    if (this.lost || !scope) return Promise.reject(new Error('OperationError: no error scope'));
    return Promise.resolve(scope.error);
  }

  /** What the device timeline does with an error of a call made now. */
  report(error: GpuErrorLike): void {
    const scope = [...this.scopes].reverse().find((s) => s.filter === filterOf(error));
    if (scope) scope.error ??= error;
    else for (const f of this.#listeners) f({ error });
  }

  addEventListener(_type: 'uncapturederror', f: (e: { error: GpuErrorLike }) => void): void {
    this.#listeners.add(f);
  }

  removeEventListener(_type: 'uncapturederror', f: (e: { error: GpuErrorLike }) => void): void {
    this.#listeners.delete(f);
  }

  get listeners(): number {
    return this.#listeners.size;
  }
}
