/**
 * The project's replacements for some of tfjs-backend-wasm 4.22's kernels, registered together
 * wherever the wasm backend is started (pickBackend, the tests' useWasm). Each gives the bits the
 * package's kernel gives, faster or with less memory:
 * - Identity shares its input's buffer instead of copying it (wasmIdentity.ts);
 * - Slice, SplitV and Unpack copy from a view of the heap instead of a fresh copy of their whole
 *   input (wasmSlice.ts);
 * - Transpose moves the innermost axis a tile at a time (wasmTranspose.ts);
 * - Sum over leading axes adds rows in order without transposing first (wasmSum.ts).
 */
import { shareWasmIdentity } from './wasmIdentity';
import { viewWasmSlices } from './wasmSlice';
import { addWasmRows } from './wasmSum';
import { tileWasmTransposes } from './wasmTranspose';

export function replaceWasmKernels(): void {
  shareWasmIdentity();
  viewWasmSlices();
  tileWasmTransposes();
  addWasmRows();
}
