// The package's own folder and version, found from this module wherever it runs: from the
// sources in a clone (model/) or compiled in an installed package (dist/model/). Files the
// package reads at run time (its schemas, its version) are found from here, never by a path
// relative to a module, which differs between the two.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cors-conformance' && pkg.version) return { root: dir, version: pkg.version };
    } catch {
      // No package.json here (or not ours): look further up.
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cors-conformance: no package.json of cors-conformance above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

const found = findRoot();
/** The folder holding the package's package.json. */
export const PACKAGE_ROOT: string = found.root;
export const PACKAGE_VERSION: string = found.version;
