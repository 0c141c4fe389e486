// What `npm pack` would publish: the ESM build with its types, the browser bundles, the source, the README and the
// licence (run after `npm run build`, as scripts/test.sh does).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('npm pack holds the ESM build, its types, the browser bundles, the README and the MIT licence', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
  const files = new Set(packed.files.map((file) => file.path));
  for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts',
    'dist/browser/fanout-client.js', 'dist/browser/fanout-client.iife.js']) {
    assert.ok(files.has(path), `${path} is in the package (has ${[...files].filter((f) => !f.startsWith('src/')).join(', ')})`);
  }

  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(manifest.license, 'MIT');
  assert.match(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8'), /MIT License/);
  assert.equal(manifest.types, './dist/index.d.ts');
  assert.equal(manifest.type, 'module');
});
