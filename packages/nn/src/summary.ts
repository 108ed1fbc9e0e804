/**
 * `Module.toString()`: one line per layer, indented by depth, with the
 * layer's settings, its own parameter shapes, and the parameter count of the
 * layer with everything below it.
 *
 *   Sequential  (17 parameters)
 *     0: Dense(2 → 4, sigmoid)  weight [4,2], bias [4]  (12 parameters)
 *     1: Dense(4 → 1, sigmoid)  weight [1,4], bias [1]  (5 parameters)
 *   17 parameters, 17 trainable
 */
import type { Tensor } from '@chainrule/core';
import type { AnyModule } from './module';

export function formatModule(root: AnyModule): string {
  const lines: string[] = [];
  const seen = new Set<AnyModule>();
  const visit = (name: string | null, module: AnyModule, depth: number): void => {
    const title = `${module.constructor.name}${bracket(module.extraRepr())}`;
    const head = name === null ? title : `${name}: ${title}`;
    if (seen.has(module)) {
      lines.push(`${'  '.repeat(depth)}${head}  (shared, listed above)`);
      return;
    }
    seen.add(module);
    const own = module
      .namedParameters({ recurse: false })
      .map(([n, p]) => `${n} [${p.shape.join(',')}]${p.requiresGrad ? '' : ' (frozen)'}`);
    const count = module.parameterCount();
    const parts = [head, own.join(', '), count > 0 ? `(${plural(count, 'parameter')})` : ''].filter((s) => s !== '');
    lines.push(`${'  '.repeat(depth)}${parts.join('  ')}`);
    for (const [childName, child] of module.namedChildren()) visit(childName, child, depth + 1);
  };
  visit(null, root, 0);
  const params = root.parameters();
  const trainable = params.filter((p: Tensor) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  lines.push(`${plural(root.parameterCount(), 'parameter')}, ${trainable} trainable`);
  return lines.join('\n');
}

function bracket(extra: string): string {
  return extra === '' ? '' : `(${extra})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
