import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(['src/index.ts', 'src/node.ts']);
