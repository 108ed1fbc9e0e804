/** Builds safetensors files byte by byte, for tests that feed the reader hostile ones. */

/** A file with `header` (any JSON) claiming `claimed` header bytes (default: the true length), then `data`. */
export function safetensorsFile(header: unknown, data: Uint8Array, claimed?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, claimed ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
