// An OpenAPI document from a pull request cannot read files outside its folder (and send them
// to the target as a path), cannot stall the event loop with YAML aliases or $refs to $refs,
// and cannot be larger than a limit; each refusal is a setup error that names the file, the
// limit and the fix. No browser, no target: all of it happens before either.
import { test, expect } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenApi } from '../../grade/input/openapi.ts';
import { GradeSetupError } from '../../pipeline/target.ts';

const SECRET = 'TOP-SECRET-3f9a1c';
let root: string;
let docs: string;

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cc-hostile-docs-'));
  docs = join(root, 'api');
  mkdirSync(docs);
  writeFileSync(join(root, 'outside-secret.txt'), SECRET);
  chmodSync(join(root, 'outside-secret.txt'), 0o600);
  writeFileSync(join(docs, 'inside.txt'), SECRET);
  symlinkSync(join(root, 'outside-secret.txt'), join(docs, 'link.yaml'));
  writeFileSync(join(docs, 'param.yaml'), 'name: id\nin: path\nrequired: true\nschema: { type: string, example: fine }\n');
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A document with one GET /items/{id} whose parameter's example is `example`. */
function documentWith(name: string, example: string, extra = ''): string {
  const file = join(docs, name);
  writeFileSync(
    file,
    `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: { type: string }\n          example: ${example}\n      responses: { '200': { description: ok } }\n${extra}`,
  );
  return file;
}

async function refusal(file: string): Promise<{ message: string; ms: number }> {
  const start = Date.now();
  try {
    const api = await loadOpenApi(file);
    return { message: `accepted: ${JSON.stringify(api.operations)}`, ms: Date.now() - start };
  } catch (err) {
    expect(err).toBeInstanceOf(GradeSetupError);
    return { message: (err as Error).message, ms: Date.now() - start };
  }
}

for (const [what, ref, words] of [
  ['a file outside the folder', '../outside-secret.txt', "outside the document's folder"],
  ['the process environment', '/proc/self/environ', "outside the document's folder"],
  ['the command line', '/proc/self/cmdline', "outside the document's folder"],
  ['a symbolic link inside the folder to a file outside it', 'link.yaml', "outside the document's folder"],
  ['a plain file inside the folder', 'inside.txt', 'is not a JSON or YAML object'],
] as const) {
  test(`a $ref to ${what} is refused, and nothing of it reaches the endpoints`, async () => {
    const r = await refusal(documentWith(`ref-${what.replace(/\W+/g, '-')}.yaml`, `{ $ref: '${ref}' }`));
    expect(r.message).toContain(words);
    expect(r.message).not.toContain(SECRET);
    expect(r.message).toContain('--openapi');
  });
}

test('a $ref to a part of a file inside the folder is still followed', async () => {
  const file = join(docs, 'shared-param.yaml');
  writeFileSync(
    file,
    "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - $ref: 'param.yaml'\n      responses: { '200': { description: ok } }\n",
  );
  const api = await loadOpenApi(file);
  expect(api.operations.map((o) => o.path)).toEqual(['/items/fine']);
});

test('a YAML alias bomb of under 1 KB is refused at once, naming the alias limit', async () => {
  // Nine levels of nine aliases: 9^9 (387 million) nodes once expanded.
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const bomb = `x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
  expect(bomb.length).toBeLessThan(1024);
  const r = await refusal(documentWith('alias-bomb.yaml', 'fine', bomb));
  expect(r.message).toContain('YAML aliases expand past the limit of 100');
  expect(r.ms).toBeLessThan(10_000);
});

test('$refs to $refs that expand past the node limit are refused before anything walks them', async () => {
  // Each level refers to the one below it twenty times: 20^6 (64 million) nodes expanded.
  const defs = ['      l0: { type: string }'];
  for (let i = 1; i <= 6; i++) {
    defs.push(
      `      l${i}: { type: object, properties: { ${Array.from({ length: 20 }, (_, k) => `p${k}: { $ref: '#/components/schemas/l${i - 1}' }`).join(', ')} } }`,
    );
  }
  const r = await refusal(documentWith('ref-bomb.yaml', 'fine', `components:\n  schemas:\n${defs.join('\n')}\n`));
  expect(r.message).toContain('with its $refs expanded it has more than 500000 nodes');
  expect(r.ms).toBeLessThan(10_000);
});

test('a document over the size limit is refused without being parsed', async () => {
  const r = await refusal(documentWith('huge.yaml', 'fine', `x-padding: "${'x'.repeat(6 * 1024 * 1024)}"\n`));
  expect(r.message).toMatch(/it has \d+ bytes, more than the limit of 5242880/);
});
