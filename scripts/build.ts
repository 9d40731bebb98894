// The package's build (npm run build, run by prepack before npm pack): the TypeScript compiled
// to JavaScript and type declarations in dist/ (tsconfig.build.json), and beside them the files
// the compiled modules read relative to themselves (the probe page, the host-character table,
// the report's style sheet and its page script, bundled here since the page's sources are not
// shipped), so an installed package runs with no TypeScript loader.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageScript, PAGE_SCRIPT } from '../report/build.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const ASSETS = ['probe/page.html', 'grade/search/host-characters.json', 'report/assets/style.css'];

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build: tsc failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
for (const asset of ASSETS) {
  mkdirSync(dirname(join(DIST, asset)), { recursive: true });
  cpSync(join(ROOT, asset), join(DIST, asset));
}
writeFileSync(join(DIST, 'report', PAGE_SCRIPT), bundlePageScript());
console.log(`build: ${DIST} (${ASSETS.length + 1} assets beside the modules)`);
