// Browser builds of the client, from the ESM build of `tsc` (dist/*.js, run first by `npm run build`):
//   dist/browser/fanout-client.js       one ES module with @microsoft/signalr inside: `import { connect } from '…/fanout-client.js'`
//   dist/browser/fanout-client.iife.js  a classic script that defines the global `Fanout` (`Fanout.connect(…)`)
// Both target the browsers SignalR supports (ES2020) and carry a source map. Nothing here changes the client's API.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  entryPoints: [join(root, 'dist', 'index.js')],
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  sourcemap: true,
  legalComments: 'eof',
  logLevel: 'warning',
};

await build({ ...common, format: 'esm', outfile: join(root, 'dist', 'browser', 'fanout-client.js') });
await build({ ...common, format: 'iife', globalName: 'Fanout', outfile: join(root, 'dist', 'browser', 'fanout-client.iife.js') });
