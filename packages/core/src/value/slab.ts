/*
 * Where a Value keeps its numbers, and why. A JavaScript object field that
 * holds a non-integer number points at a separate heap box, so a node with its
 * data, grad and operand in fields is four objects. A forward pass of a small
 * MLP makes tens of thousands of nodes that all stay alive until backward, and
 * V8's young-generation collector copies every live object, so the bytes a
 * node occupies on the collected heap decide much of the scalar engine's
 * speed. A node is therefore one object of five fields (inputs, op, slab,
 * offset); its numbers, walk scratch and flags sit in a Float64Array shared by
 * SLAB_NODES nodes, outside the collected heap.
 *
 * A slab is freed by the garbage collector once no node in it is alive, so
 * nothing here is managed by hand. The price is that one long-lived node keeps
 * its whole slab (12 KiB) alive, which is why slabs are small.
 */

/** Nodes per slab. */
const SLAB_NODES = 256;
/** Slots per node, at these offsets from the node's first slot: */
export const STRIDE = 6;
export const DATA = 0;
export const GRAD = 1;
/** The op's number operand (pow's exponent, the constant of x + 3, ...). */
export const K = 2;
/** The last walk that reached the node (toposort.ts's marks). */
export const MARK = 3;
/** Bit flags, below. */
export const FLAGS = 4;
/** During backward: the node's consumers whose backward has yet to run. */
export const PENDING = 5;

export const REQUIRES_GRAD = 1;
export const FREED = 2;

/** The slab new nodes go into; read it after {@link claimSlot}, which may replace it. */
export let slab = new Float64Array(SLAB_NODES * STRIDE);
let used = 0;

/** The first slot of a new node in {@link slab}, starting a fresh slab when this one is full. */
export function claimSlot(): number {
  if (used === SLAB_NODES) {
    slab = new Float64Array(SLAB_NODES * STRIDE);
    used = 0;
  }
  return used++ * STRIDE;
}
