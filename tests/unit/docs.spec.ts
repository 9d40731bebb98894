// The README's facts that code holds: the list of finding categories is the table's.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CATEGORIES } from '../../grade/judge/findings.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test("the README lists every finding category, in the table's order, and no other", () => {
  const start = README.indexOf('Categories (the unit tests hold this list to');
  expect(start).toBeGreaterThan(0);
  const list = README.slice(README.indexOf('):', start), README.indexOf('. `options-treated-as-preflight` is info', start));
  const listed = [...list.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
  expect(listed).toEqual(Object.keys(CATEGORIES));
});
