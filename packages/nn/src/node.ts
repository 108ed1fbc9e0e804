/**
 * '@chainrule/nn/node': saving and loading a module's weights as a
 * safetensors file on disk. Kept out of the main entry so that it stays free
 * of Node built-ins and runs in browsers.
 *
 * @module @chainrule/nn/node
 */
import { readFile, rename, writeFile, rm } from 'node:fs/promises';
import type { LoadStateDictOptions, LoadStateDictResult, Module } from './module';
import { loadSafetensors, saveSafetensors, type SaveSafetensorsOptions } from './io/safetensors';

/**
 * Writes `module.stateDict()` to `path` as safetensors. The file is written
 * beside the target and renamed into place, so a failed save never leaves a
 * half-written file where the old one was.
 *
 * @example
 * await save(model, 'xor.safetensors');
 */
export async function save(module: Module, path: string, options: SaveSafetensorsOptions = {}): Promise<void> {
  const bytes = saveSafetensors(module.stateDict(), options);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
}

/**
 * Reads a safetensors file and loads it into `module` with
 * `loadStateDict` (strict by default). A corrupt file or a mismatch throws
 * before any parameter changes.
 *
 * @example
 * const fresh = mlp([2, 4, 1]);
 * await load(fresh, 'xor.safetensors');
 */
export async function load(
  module: Module,
  path: string,
  options: LoadStateDictOptions = {},
): Promise<LoadStateDictResult> {
  const bytes = await readFile(path);
  return module.loadStateDict(loadSafetensors(bytes), options);
}
