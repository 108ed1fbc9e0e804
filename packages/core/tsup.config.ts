import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig([
  'src/index.ts',
  'src/testing/index.ts',
  'src/testing/properties.ts',
  'src/testing/vitest.ts',
  'src/internal/index.ts',
]);
