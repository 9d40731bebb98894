#!/usr/bin/env node
// The command. In a clone, the TypeScript sources run through tsx's loader (no build step); in
// an installed package, which holds no sources, the compiled JavaScript of dist/ runs.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
