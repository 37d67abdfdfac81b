import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/roberta';
import { bytesSource } from './bytes';
import { openSafetensors } from './safetensors';
import { safetensorsParts, writeSafetensors } from './safetensorsWrite';

describe('safetensors writer (checkpoints with Hugging Face names)', () => {
  it('writes the layout of spec §1.2, read back by hand: LE length, padded JSON, format pt, tensors by name', () => {
    const bytes = writeSafetensors([
      { name: 'classifier.out_proj.bias', shape: [2], data: new Float32Array([0.5, -2]) },
      { name: 'b', shape: [1, 3], data: new Float32Array([1, 2, 3]) },
    ]);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      b: { dtype: 'F32', shape: [1, 3], data_offsets: [0, 12] },
      'classifier.out_proj.bias': { dtype: 'F32', shape: [2], data_offsets: [12, 20] },
    });
    expect(bytes.length).toBe(8 + n + 20);
    const floats = [0, 1, 2, 3, 4].map((i) => view.getFloat32(8 + n + 4 * i, true));
    expect(floats).toEqual([1, 2, 3, 0.5, -2]);
  });

  it('round-trips the tiny model: every float tensor keeps the bytes PyTorch wrote', async () => {
    const original = fixtureBytes('tiny/model.safetensors');
    const st = await openSafetensors(bytesSource(original));
    const names = [...st.tensors.values()].filter((t) => t.dtype === 'F32').map((t) => t.name);
    const tensors = await Promise.all(
      names.map(async (name) => ({
        name,
        shape: st.tensors.get(name)!.shape,
        data: await st.read(name),
      })),
    );
    const parts = safetensorsParts(tensors);
    expect(parts.length).toBe(names.length + 1);
    const copy = await openSafetensors(bytesSource(writeSafetensors(tensors)));
    for (const name of names) {
      const [b0, b1] = st.tensors.get(name)!.dataOffsets;
      const [c0, c1] = copy.tensors.get(name)!.dataOffsets;
      const written = await copy.source.read(copy.dataStart + c0, c1 - c0);
      const source = original.subarray(st.dataStart + b0, st.dataStart + b1);
      // Byte loop: vitest's deep equality is far too slow on a 6 MB array.
      expect(written.length, name).toBe(source.length);
      expect(
        written.findIndex((b, i) => b !== source[i]),
        name,
      ).toBe(-1);
    }
  });

  it('refuses a shape that does not match the data', () => {
    expect(() =>
      writeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }]),
    ).toThrow(/'w': shape \[2, 2\] needs 4 values, got 3/);
  });
});
