// Writes the published JSON Schemas, schemas/<kind>.schema.json, from the TypeScript types of
// the files they describe; `--check` writes nothing and fails when a committed schema differs
// from what the types generate (npm run check runs it).
//
// The types are the source, not a schema module: the code that writes a results file, a
// grade.json or an explanation, and the code that reads a policy, is compiled against these
// types, so a field added, renamed or made optional there reaches the schema without a second
// edit, and an enum-like union comes from its `as const` array (ENGINE_IDS, TOPICS, ASSETS)
// once. What TypeScript cannot say is said in the types' JSDoc, which ts-json-schema-generator
// reads: the description, `@title`, `@pattern`, `@minimum`, `@minItems`, `@asType integer`
// (through `Integer` and `Count` in model/schemas.ts), and `@fix`, written here as the
// schema's `x-fix` (a JSDoc tag cannot be named x-fix): the advice model/schemas.ts shows when
// a value fails that part.
//
// After generation, two rewrites that change no verdict: a union of string literals written
// across several aliases (FindingCategory = CandidateClass | … ) becomes one `enum`, so a
// reader sees every value in one list; and `anyOf` of bare types (`Integer | null`) becomes
// one `type` list.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import ts from 'typescript';
import { SCHEMA_KINDS, type SchemaKind } from '../model/schemas.ts';

/** Each published schema: the file that declares its root type, and that type. */
const SOURCES: Record<SchemaKind, { file: string; type: string }> = {
  results: { file: 'model/results.ts', type: 'ResultsFile' },
  grade: { file: 'grade/types.ts', type: 'GradeReport' },
  explain: { file: 'explain/explain.ts', type: 'Explanation' },
  policy: { file: 'grade/input/policy.ts', type: 'PolicyFile' },
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REGENERATE = 'npm run schemas';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `@fix` as `x-fix`, everywhere; the generator parses a tag's text as JSON5 where it can, so a fix must stay text. */
function renameFix(node: Json, where: string): Json {
  if (Array.isArray(node)) return node.map((n, i) => renameFix(n, `${where}/${i}`));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'fix' && where.split('/').at(-1) !== 'properties') {
      if (typeof v !== 'string') throw new Error(`${where}: @fix must be text, got ${JSON.stringify(v)}; reword it so it does not parse as JSON`);
      out['x-fix'] = v;
    } else out[k] = renameFix(v, `${where}/${k}`);
  }
  return out;
}

/** The string values a schema node allows, when it allows strings from a fixed list and nothing else. */
function stringValues(node: Json | undefined, definitions: JsonObject): string[] | null {
  if (!isObject(node)) return null;
  const ref = node.$ref;
  if (typeof ref === 'string') return stringValues(definitions[ref.replace('#/definitions/', '')], definitions);
  if (typeof node.const === 'string') return [node.const];
  if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')) return node.enum as string[];
  if (Array.isArray(node.anyOf)) {
    const parts = node.anyOf.map((n) => stringValues(n, definitions));
    return parts.every((p) => p !== null) ? parts.flat() : null;
  }
  return null;
}

const BARE_TYPE = (n: Json): n is { type: string } => isObject(n) && Object.keys(n).length === 1 && typeof n.type === 'string';

function simplify(node: Json, definitions: JsonObject): Json {
  if (Array.isArray(node)) return node.map((n) => simplify(n, definitions));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  // `properties` and `definitions` map names to schemas: each value is a node, the map is not.
  for (const [k, v] of Object.entries(node))
    out[k] = (k === 'properties' || k === 'definitions') && isObject(v) ? mapValues(v, (p) => simplify(p, definitions)) : simplify(v, definitions);
  const { anyOf, ...rest } = out;
  if (!Array.isArray(anyOf)) return describedFirst(out);
  const values = stringValues({ anyOf }, definitions);
  if (values) return describedFirst({ type: 'string', enum: values, ...rest });
  if (anyOf.every(BARE_TYPE)) return describedFirst({ type: anyOf.map((n) => n.type), ...rest });
  return describedFirst(out);
}

/** A node's description before its constraints, as a reader looks for it. */
function describedFirst({ description, ...rest }: JsonObject): JsonObject {
  return description === undefined ? rest : { description, ...rest };
}

function mapValues(o: JsonObject, f: (v: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** Definitions no longer referenced once unions became enums. */
function dropUnused(schema: JsonObject): JsonObject {
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  const used = new Set<string>();
  const visit = (n: Json) => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (isObject(n))
      for (const [k, v] of Object.entries(n)) {
        if (k === '$ref' && typeof v === 'string') {
          const name = v.replace('#/definitions/', '');
          if (!used.has(name)) {
            used.add(name);
            visit(definitions[name] ?? null);
          }
        } else if (k !== 'definitions') visit(v);
      }
  };
  visit(schema);
  const kept = Object.fromEntries(Object.entries(definitions).filter(([k]) => used.has(k)));
  const { definitions: _, ...rest } = schema;
  return Object.keys(kept).length ? { ...rest, definitions: kept } : rest;
}

/** One program for every schema: the files' imports are parsed once. */
function program(): ts.Program {
  const { config } = ts.readConfigFile(`${ROOT}tsconfig.json`, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return ts.createProgram(
    Object.values(SOURCES).map((s) => `${ROOT}${s.file}`),
    options,
  );
}

function generate(kind: SchemaKind, tsProgram: ts.Program): string {
  const { file, type } = SOURCES[kind];
  const generated = createGenerator({
    path: `${ROOT}${file}`,
    type,
    tsProgram,
    topRef: false,
    skipTypeCheck: true,
    sortProps: false,
    extraTags: ['fix'],
    additionalProperties: false,
  }).createSchema(type) as JsonObject;
  const renamed = renameFix(generated, '#');
  if (!isObject(renamed)) throw new Error(`${type}: the generator gave no object`);
  const definitions = isObject(renamed.definitions) ? renamed.definitions : {};
  const simple = simplify(renamed, definitions);
  if (!isObject(simple)) throw new Error(`${type}: no object after simplifying`);
  const { $schema, title, description, ...body } = dropUnused(simple);
  if (typeof title !== 'string' || typeof description !== 'string') throw new Error(`${file}: ${type} needs a JSDoc description and a @title`);
  const schema = { $schema, $id: `https://cors-conformance.dev/schemas/${kind}.schema.json`, title, description, ...body };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The file as committed, or null when there is none yet. */
function committed(file: string): string | null {
  try {
    return readFileSync(`${ROOT}${file}`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function main(args: string[]): number {
  const check = args.includes('--check');
  const started = performance.now();
  const tsProgram = program();
  const stale: string[] = [];
  for (const kind of SCHEMA_KINDS) {
    const file = `schemas/${kind}.schema.json`;
    const text = generate(kind, tsProgram);
    if (committed(file) === text) continue;
    if (check) stale.push(file);
    else {
      writeFileSync(`${ROOT}${file}`, text);
      console.log(`wrote ${file}`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (stale.length) {
    console.error(`${stale.join(', ')} ${stale.length > 1 ? 'differ' : 'differs'} from what the types generate; run \`${REGENERATE}\` and commit the result`);
    return 1;
  }
  if (check) console.log(`schemas/*.schema.json match the types (${seconds} s)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
