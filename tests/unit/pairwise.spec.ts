// The all-pairs generator: every allowed pair covered, constraints respected, seed rows kept,
// and the same input always giving the same rows.
import { test, expect } from '@playwright/test';
import { allPairs, product, uncoveredPairs, type Assignment, type Factor } from '../../cases/matrix/pairwise.ts';

const f = (name: string, n: number): Factor => ({ name, values: Array.from({ length: n }, (_, i) => `${name}${i}`) });

const SHAPES: Array<[string, Factor[]]> = [
  ['2 factors', [f('a', 3), f('b', 4)]],
  ['4 binary', [f('a', 2), f('b', 2), f('c', 2), f('d', 2)]],
  ['3^4', [f('a', 3), f('b', 3), f('c', 3), f('d', 3)]],
  ['mixed', [f('a', 7), f('b', 2), f('c', 5), f('d', 3), f('e', 4), f('f', 2)]],
  ['one big', [f('a', 40), f('b', 7), f('c', 2), f('d', 2), f('e', 3)]],
  ['single value', [f('a', 1), f('b', 3), f('c', 1)]],
];

for (const [name, factors] of SHAPES) {
  test(`all pairs covered: ${name}`, () => {
    const rows = allPairs(factors);
    expect(uncoveredPairs(factors, rows)).toEqual([]);
    for (const r of rows) for (const x of factors) expect(x.values).toContain(r[x.name]);
    const full = factors.reduce((n, x) => n * x.values.length, 1);
    expect(rows.length).toBeLessThanOrEqual(full);
  });
}

test('far fewer rows than the full product', () => {
  const factors = [f('a', 4), f('b', 4), f('c', 4), f('d', 4), f('e', 4), f('g', 4)];
  const rows = allPairs(factors);
  expect(uncoveredPairs(factors, rows)).toEqual([]);
  // A 4^6 product has 4096 rows; a pairwise array needs at least 16.
  expect(rows.length).toBeLessThanOrEqual(30);
});

test('deterministic: same factors, same rows in the same order', () => {
  const factors = SHAPES[3]?.[1] ?? [];
  expect(allPairs(factors)).toEqual(allPairs(factors));
});

test('seed rows come first, unchanged in the factors they assign, and pairs with the rest are covered', () => {
  const exhaustive = [f('m', 3), f('h', 4)];
  const rest = [f('r', 5), f('p', 2), f('c', 3)];
  const seed = product(exhaustive);
  const rows = allPairs([...exhaustive, ...rest], { seed });
  expect(uncoveredPairs([...exhaustive, ...rest], rows)).toEqual([]);
  seed.forEach((s, i) => {
    expect(rows[i]?.m).toBe(s.m);
    expect(rows[i]?.h).toBe(s.h);
  });
  // The whole exhaustive product is present.
  for (const s of seed) expect(rows.some((r) => r.m === s.m && r.h === s.h)).toBe(true);
});

test('constraints: no row holds a forbidden pair, and every allowed pair is still covered', () => {
  const factors = [f('page', 3), f('target', 4), f('cred', 3), f('x', 2)];
  const allowed = (p: Readonly<Assignment>): boolean =>
    !(p.page === 'page2' && (p.target === 'target0' || p.target === 'target1')) && !(p.cred === 'cred2' && p.x === 'x1');
  const rows = allPairs(factors, { allowed });
  for (const r of rows) expect(allowed(r)).toBe(true);
  expect(uncoveredPairs(factors, rows, allowed)).toEqual([]);
});

test('constraints with a seed', () => {
  const exhaustive = [f('a', 3), f('b', 3)];
  const rest = [f('c', 4), f('d', 3)];
  const allowed = (p: Readonly<Assignment>): boolean => !(p.a === 'a0' && p.c === 'c3') && !(p.b === 'b2' && p.d === 'd0');
  const rows = allPairs([...exhaustive, ...rest], { seed: product(exhaustive, allowed), allowed });
  for (const r of rows) expect(allowed(r)).toBe(true);
  expect(uncoveredPairs([...exhaustive, ...rest], rows, allowed)).toEqual([]);
});

test('product lists every combination in order, first factor slowest', () => {
  expect(product([f('a', 2), f('b', 2)])).toEqual([
    { a: 'a0', b: 'b0' },
    { a: 'a0', b: 'b1' },
    { a: 'a1', b: 'b0' },
    { a: 'a1', b: 'b1' },
  ]);
});

test('bad factors are refused', () => {
  expect(() => allPairs([f('a', 2), f('a', 3)])).toThrow(/repeat/);
  expect(() => allPairs([{ name: 'a', values: [] }, f('b', 2)])).toThrow(/no values/);
  expect(() => allPairs([{ name: 'a', values: ['x', 'x'] }, f('b', 2)])).toThrow(/repeats/);
});
