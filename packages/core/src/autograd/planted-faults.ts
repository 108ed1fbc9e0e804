/**
 * Faults a test can plant in the engine to prove that a checking tool
 * catches them (the program properties of @chainrule/core/testing). Off
 * unless a test turns one on; the driver's cost is one property read where
 * a node's second gradient share arrives.
 */

/** The faults that can be planted, all off by default. */
export const plantedFaults = {
  /**
   * The Tensor backward pass keeps only the last share of a node used by
   * several consumers instead of their sum: a dropped accumulation.
   */
  dropSharedGradient: false,
};

/** Turns a planted fault on or off (tests only); returns its previous state. */
export function plantFault(name: keyof typeof plantedFaults, on: boolean): boolean {
  const previous = plantedFaults[name];
  plantedFaults[name] = on;
  return previous;
}
