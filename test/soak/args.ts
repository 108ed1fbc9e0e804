/** The soak script's command line: `--graph tensor|value --steps N --every K --baseline B --data mnist|synthetic|auto --json --leak`. */
export interface SoakOptions {
  /** 'tensor' (default): the MNIST network; 'value': the scalar Value MLP of the benchmark. */
  graph: 'tensor' | 'value';
  /** Training steps (default 10,000). */
  steps: number;
  /** Sample memory every this many steps (default 1,000). */
  every: number;
  /** The step whose sample the later ones are compared with (default 2,000). */
  baseline: number;
  /** 'auto' (default): the mnist package if installed, else synthetic data. */
  data: 'mnist' | 'synthetic' | 'auto';
  /** Print one JSON object instead of the table. */
  json: boolean;
  /** Keep every step's graph alive, to show that the check catches a leak. */
  leak: boolean;
}

export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = {
    graph: 'tensor',
    steps: 10_000,
    every: 1_000,
    baseline: 2_000,
    data: 'auto',
    json: false,
    leak: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') options.json = true;
    else if (flag === '--leak') options.leak = true;
    else if (flag === '--graph') {
      const value = argv[++i];
      if (value !== 'tensor' && value !== 'value')
        throw new Error(`soak: --graph takes tensor or value, got ${String(value)}`);
      options.graph = value;
    } else if (flag === '--data') {
      const value = argv[++i];
      if (value !== 'mnist' && value !== 'synthetic' && value !== 'auto')
        throw new Error(`soak: --data takes mnist, synthetic or auto, got ${String(value)}`);
      options.data = value;
    } else if (flag === '--steps' || flag === '--every' || flag === '--baseline') {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value) || value < 1)
        throw new Error(`soak: ${flag} takes a positive integer, got ${String(argv[i])}`);
      options[flag.slice(2) as 'steps' | 'every' | 'baseline'] = value;
    } else {
      throw new Error(
        `soak: unknown argument ${String(flag)}; expected --graph tensor|value, --steps N, --every K, --baseline B, --data mnist|synthetic|auto, --json, --leak`,
      );
    }
  }
  if (options.baseline % options.every !== 0 || options.baseline >= options.steps) {
    throw new Error(
      `soak: --baseline (${options.baseline}) must be a multiple of --every (${options.every}) below --steps (${options.steps})`,
    );
  }
  return options;
}
