// Every public export has documentation: TypeDoc 0.28's own `notDocumented`
// validation reports nothing (TypeStrong/typedoc#3046), so this walks the
// JSON model `pnpm docs` writes and lists each exported function, class,
// variable, interface, type alias and namespace of the entry points without
// a doc comment (a function counts as documented when its signature is).
// Exits non-zero with the list when any is missing.
import { readFileSync } from 'node:fs';

const model = JSON.parse(readFileSync(process.argv[2] ?? 'docs-site/api.json', 'utf8'));
// TypeDoc's ReflectionKind values.
const kinds = {
  2: 'module',
  4: 'namespace',
  32: 'variable',
  64: 'function',
  128: 'class',
  256: 'interface',
  2097152: 'type alias',
};
const hasComment = (r) =>
  (r.comment?.summary?.length ?? 0) > 0 ||
  (r.signatures ?? []).some((s) => (s.comment?.summary?.length ?? 0) > 0) ||
  (r.comment?.blockTags?.length ?? 0) > 0;
const missing = [];
for (const module of model.children ?? []) {
  for (const r of module.children ?? []) {
    if (!(r.kind in kinds) || r.kind === 2) continue;
    if (!hasComment(r)) missing.push(`${module.name}: ${kinds[r.kind]} ${r.name}`);
  }
}
if (missing.length > 0) {
  console.error(`${missing.length} public exports have no documentation:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
const count = (model.children ?? []).reduce((n, m) => n + (m.children?.length ?? 0), 0);
console.log(`docs: all ${count} exports of ${model.children?.length ?? 0} entry points are documented`);
