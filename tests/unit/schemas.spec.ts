// The published schemas, generated from the types (scripts/schemas.ts), accept what the tool
// really wrote, refuse an unknown engine, an unknown category and a missing field, naming it,
// and list each enum exactly as the `as const` array the code reads.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { RULE_FIELDS } from '../../grade/input/policy.ts';
import { CATEGORIES } from '../../grade/judge/findings.ts';
import { ASSETS, INITIATOR_KINDS, TOPICS } from '../../model/case.ts';
import { ENGINE_IDS } from '../../model/results.ts';
import { SCHEMA_KINDS, type SchemaKind, validate } from '../../model/schemas.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const read = (url: URL): Json => JSON.parse(readFileSync(url, 'utf8')) as Json;
const fixture = (name: string) => read(new URL(`fixtures/${name}`, import.meta.url));
const schema = (kind: SchemaKind) => read(new URL(`../../schemas/${kind}.schema.json`, import.meta.url));

/** The node at a path of keys, or undefined. */
function at(node: Json | undefined, ...keys: Array<string | number>): Json | undefined {
  let n = node;
  for (const k of keys) {
    if (n === null || typeof n !== 'object') return undefined;
    n = Array.isArray(n) ? (typeof k === 'number' ? n[k] : undefined) : n[String(k)];
  }
  return n;
}

function object(node: Json | undefined): { [key: string]: Json } {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`not an object: ${JSON.stringify(node)}`);
  return node;
}

function list(node: Json | undefined): Json[] {
  if (!Array.isArray(node)) throw new Error(`not an array: ${JSON.stringify(node)}`);
  return node;
}

/** A deep copy to break: `edit` changes it in place. */
function broken(value: Json, edit: (copy: { [key: string]: Json }) => void): Json {
  const copy = object(structuredClone(value));
  edit(copy);
  return copy;
}

const REAL: Array<[SchemaKind, string, Json]> = [
  ['grade', 'a grade that fails (examples/server.ts --reflect-any-origin)', fixture('grade-bad.json')],
  ['grade', 'a grade that passes (examples/server.ts)', fixture('grade-good.json')],
  ['explain', 'an explanation of a blocked request', fixture('explanation-blocked.json')],
  ['results', 'the report fixture', read(new URL('../report/fixtures/results.json', import.meta.url))],
  ['results', 'the report baseline fixture', read(new URL('../report/fixtures/baseline.json', import.meta.url))],
  ...readdirSync(new URL('../../examples/', import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .map((f): [SchemaKind, string, Json] => ['policy', `examples/${f}`, read(new URL(`../../examples/${f}`, import.meta.url))]),
];

for (const [kind, title, value] of REAL) {
  test(`${kind}: ${title} is valid`, () => {
    expect(validate(kind, value)).toEqual([]);
  });
}

const GRADE = fixture('grade-bad.json');
const EXPLANATION = fixture('explanation-blocked.json');
const RESULTS = read(new URL('../report/fixtures/results.json', import.meta.url));

const BAD: Array<[SchemaKind, string, Json, string, RegExp]> = [
  [
    'grade',
    'an unknown engine in a finding',
    broken(GRADE, (g) => {
      object(at(g, 'findings', 0)).engines = ['safari'];
    }),
    'findings[0].engines[0]',
    /"safari" must be one of "chromium", "firefox", "webkit"/,
  ],
  [
    'grade',
    'an unknown engine in a probe',
    broken(GRADE, (g) => {
      const results = object(at(g, 'probes', 0, 'results'));
      results.safari = results.chromium ?? null;
    }),
    'probes[0].results.safari',
    /unknown field; the fields are chromium, firefox, webkit/,
  ],
  [
    'grade',
    'an unknown finding category',
    broken(GRADE, (g) => {
      object(at(g, 'findings', 0)).category = 'made-up';
    }),
    'findings[0].category',
    /"made-up" must be one of .*"arbitrary-origin"/,
  ],
  [
    'grade',
    'an unknown cause category',
    broken(GRADE, (g) => {
      object(at(g, 'causes', 0)).category = 'made-up';
    }),
    'causes[0].category',
    /"made-up" must be one of .*"reflects-any-origin"/,
  ],
  [
    'grade',
    'a cause without findings',
    broken(GRADE, (g) => {
      object(at(g, 'causes', 0)).findings = [];
    }),
    'causes[0].findings',
    /must NOT have fewer than 1 items/,
  ],
  ['grade', 'no verdict', broken(GRADE, (g) => delete g.verdict), 'verdict', /^required$/],
  [
    'explain',
    'an unknown engine',
    broken(EXPLANATION, (x) => {
      object(at(x, 'engines', 0, 'engine')).id = 'safari';
    }),
    'engines[0].engine.id',
    /"safari" must be one of/,
  ],
  ['explain', 'no works', broken(EXPLANATION, (x) => delete x.works), 'works', /^required$/],
  [
    'explain',
    'an unknown credentials mode',
    broken(EXPLANATION, (x) => {
      object(x.request).credentials = 'always';
    }),
    'request.credentials',
    /"always" must be one of "omit", "same-origin", "include"/,
  ],
  [
    'results',
    'an unknown engine left out',
    broken(RESULTS, (r) => {
      r.excludedEngines = ['safari'];
    }),
    'excludedEngines[0]',
    /"safari" must be one of/,
  ],
  [
    'results',
    'an unknown topic',
    broken(RESULTS, (r) => {
      object(at(r, 'cases', 0)).group = 'made-up';
    }),
    'cases[0].group',
    /must be one of "basics"/,
  ],
  [
    'results',
    'a case without an id',
    broken(RESULTS, (r) => {
      delete object(at(r, 'cases', 0)).id;
    }),
    'cases[0].id',
    /^required$/,
  ],
];

for (const [kind, title, value, field, message] of BAD) {
  test(`${kind}: ${title} is refused, naming ${field}`, () => {
    const errors = validate(kind, value);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)?.message).toMatch(message);
  });
}

const definition = (kind: SchemaKind, name: string) => object(at(schema(kind), 'definitions', name));

test('every engine id in every schema is ENGINE_IDS', () => {
  for (const kind of ['results', 'grade', 'explain'] as const) expect(definition(kind, 'EngineId').enum).toEqual([...ENGINE_IDS]);
  // Per-engine maps list the engines as their fields.
  expect(Object.keys(object(at(definition('results', 'CaseRecord'), 'properties', 'results', 'properties')))).toEqual([...ENGINE_IDS]);
  expect(Object.keys(object(at(definition('results', 'CaseRecord'), 'properties', 'agreement', 'properties')))).toEqual([...ENGINE_IDS]);
  expect(Object.keys(object(at(schema('results'), 'properties', 'summary', 'properties')))).toEqual([...ENGINE_IDS]);
  expect(Object.keys(object(at(definition('grade', 'GradedAttackerProbe'), 'properties', 'results', 'properties')))).toEqual([...ENGINE_IDS]);
  expect(Object.keys(object(at(definition('grade', 'CookiePolicy'), 'properties', 'engines', 'properties')))).toEqual([...ENGINE_IDS]);
});

test('topics, assets and initiator kinds are their arrays in model/case.ts', () => {
  expect(definition('results', 'Topic').enum).toEqual([...TOPICS]);
  expect(definition('results', 'Asset').enum).toEqual([...ASSETS]);
  const kinds = list(definition('results', 'Initiator').anyOf).map((branch) => at(branch, 'properties', 'kind', 'const'));
  expect(kinds.sort()).toEqual([...INITIATOR_KINDS].sort());
});

test('finding categories are the categories grade/judge/findings.ts describes, and every one that is not about origins is a cause of its own', () => {
  const findings = list(definition('grade', 'FindingCategory').enum);
  expect([...findings].sort()).toEqual(Object.keys(CATEGORIES).sort());
  const causes = list(definition('grade', 'CauseCategory').enum);
  for (const c of ['wildcard-with-credentials', 'missing-vary', 'intended-use-blocked', 'options-treated-as-preflight']) expect(causes).toContain(c);
  // The probe's category is the finding's.
  expect(at(definition('grade', 'GradedAttackerProbe'), 'properties', 'category', '$ref')).toBe('#/definitions/FindingCategory');
});

test('a policy path entry may set exactly the rule fields', () => {
  const entry = list(at(schema('policy'), 'properties', 'paths', 'items', 'anyOf')).find((b) => at(b, 'type') === 'object');
  expect(Object.keys(object(at(entry, 'properties')))).toEqual(['path', ...RULE_FIELDS]);
});

test('every schema keeps its published $id and title, and its x-fix advice is text', () => {
  for (const kind of SCHEMA_KINDS) {
    const s = object(schema(kind));
    expect(s.$id).toBe(`https://cors-conformance.dev/schemas/${kind}.schema.json`);
    expect(s.title).toMatch(/^cors-conformance /);
  }
  const fixes: Json[] = [];
  const visit = (n: Json) => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n !== null && typeof n === 'object') for (const [k, v] of Object.entries(n)) k === 'x-fix' ? fixes.push(v) : visit(v);
  };
  visit(schema('policy'));
  expect(fixes.length).toBeGreaterThan(10);
  for (const f of fixes) expect(typeof f).toBe('string');
});
