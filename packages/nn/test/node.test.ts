import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, ShapeError, tensor } from '@chainrule/core';
import { SafetensorsError, loadSafetensors, mlp } from '../src/index';
import { load, save } from '../src/node';

const dir = mkdtempSync(join(tmpdir(), 'chainrule-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("'@chainrule/nn/node' save and load", () => {
  it('save writes a safetensors file that load reads back into a fresh model', async () => {
    const path = join(dir, 'model.safetensors');
    const model = mlp([2, 3, 1], { generator: new Generator(1) });
    await save(model, path, { metadata: { task: 'test' } });
    expect(Object.keys(loadSafetensors(readFileSync(path)))).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    const fresh = mlp([2, 3, 1], { generator: new Generator(2) });
    expect(await load(fresh, path)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = tensor([[0.5, -0.5]]);
    expect(fresh.forward(x).toArray()).toEqual(model.forward(x).toArray());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a corrupt file or a different architecture changes nothing', async () => {
    const model = mlp([2, 3, 1], { generator: new Generator(3) });
    const before = model.parameters().map((p) => Array.from(p.data()));
    const corrupt = join(dir, 'corrupt.safetensors');
    writeFileSync(corrupt, new Uint8Array([1, 2, 3]));
    await expect(load(model, corrupt)).rejects.toThrow(SafetensorsError);
    const other = join(dir, 'other.safetensors');
    await save(mlp([2, 5, 1]), other);
    await expect(load(model, other)).rejects.toThrow(ShapeError);
    expect(model.parameters().map((p) => Array.from(p.data()))).toEqual(before);
  });

  it('a failed save leaves no file behind', async () => {
    const path = join(dir, 'missing-folder', 'model.safetensors');
    await expect(save(mlp([2, 1]), path)).rejects.toThrow();
    expect(readdirSync(dir).some((f) => f.includes('missing-folder'))).toBe(false);
  });
});
