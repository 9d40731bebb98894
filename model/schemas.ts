// The published JSON Schemas (schemas/) as one validator. Each is generated from the types of
// what it describes (scripts/schemas.ts): every results file written or read is checked against
// schemas/results.schema.json, every policy against schemas/policy.schema.json, every
// grade.json against schemas/grade.schema.json, every explanation against
// schemas/explain.schema.json, and each error names the field. A schema node may carry `x-fix`,
// the advice shown when a value fails that node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from './package.ts';

/**
 * A whole number. The types the schemas are generated from say `Integer` where JSON Schema
 * says "integer" (TypeScript has one number type).
 * @internal
 * @asType integer
 */
export type Integer = number;

/**
 * A whole number of things, 0 or more.
 * @internal
 * @asType integer
 * @minimum 0
 */
export type Count = number;

/** The published schemas, each schemas/<kind>.schema.json. */
export const SCHEMA_KINDS = ['results', 'grade', 'explain', 'policy'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** One way a value fails its schema. */
export interface SchemaError {
  /** The JSON pointer of the value at fault, e.g. `/cases/3/id`; empty for the whole document. */
  pointer: string;
  /** The same place as a field path, e.g. `cases[3].id`; empty for the whole document. */
  field: string;
  /** What is wrong, in words a user can act on. */
  message: string;
  /** The schema's advice for that place (`x-fix`), where it has one; `message` includes it. */
  fix?: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
ajv.addKeyword({ keyword: 'x-fix', schemaType: 'string' });

const validators = new Map<SchemaKind, ValidateFunction>();

/** Compiled on first use: the generator (scripts/schemas.ts) imports this module to write the files. */
function validator(kind: SchemaKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    const schema: unknown = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', `${kind}.schema.json`), 'utf8'));
    v = ajv.compile(schema as object);
    validators.set(kind, v);
  }
  return v;
}

/** A JSON pointer such as /cases/3/id as a field path: cases[3].id. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

interface SchemaNode {
  'x-fix'?: string;
  properties?: Record<string, SchemaNode>;
}

/** A value in a message: short, as JSON. */
function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function schemaError(e: ErrorObject): SchemaError | null {
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const at = (pointer: string, message: string, fix?: string): SchemaError => ({ pointer, field: fieldPath(pointer), message, ...(fix ? { fix } : {}) });
  switch (e.keyword) {
    case 'required': {
      const name = String((e.params as { missingProperty?: unknown }).missingProperty);
      const fix = node.properties?.[name]?.['x-fix'];
      return at(`${e.instancePath}/${name}`, `required${fix ? `, ${fix}` : ''}`, fix);
    }
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      const known = Object.keys(node.properties ?? {}).filter((k) => k !== '$schema');
      return at(`${e.instancePath}/${name}`, `unknown field; the fields are ${known.join(', ')}`);
    }
    // The branch that failed says more than the condition that chose it.
    case 'if':
      return null;
    default: {
      const fix = node['x-fix'];
      if (fix) return at(e.instancePath, `expected ${fix}, got ${describe(e.data)}`, fix);
      const { allowedValues, allowedValue } = e.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const what =
        e.keyword === 'enum' && allowedValues
          ? `must be one of ${allowedValues.map(describe).join(', ')}`
          : e.keyword === 'const'
            ? `must be ${describe(allowedValue)}`
            : (e.message ?? 'is not valid');
      return at(e.instancePath, `${describe(e.data)} ${what}`);
    }
  }
}

/**
 * A union's errors say the most where the value fits a branch: a value of neither branch's
 * type gets the union's own error (its `x-fix`), and a value that has a branch's type gets
 * that branch's errors alone, not "must be string" from the branch it never meant.
 */
function withoutUnionNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const typed = errors.filter((e) => !(e.keyword === 'type' && unions.has(e.instancePath)));
  return typed.filter(
    (e) =>
      e.keyword !== 'anyOf' ||
      !typed.some((o) => o !== e && o.keyword !== 'anyOf' && (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`))),
  );
}

/**
 * Every way `value` fails the schema of `kind`, one error per field (the first said about
 * it), in the schema's order; empty when the value holds.
 */
export function validate(kind: SchemaKind, value: unknown): SchemaError[] {
  const v = validator(kind);
  if (v(value)) return [];
  const out = new Map<string, SchemaError>();
  for (const e of withoutUnionNoise(v.errors ?? [])) {
    const err = schemaError(e);
    if (err && !out.has(err.field)) out.set(err.field, err);
  }
  return [...out.values()];
}

/** The errors as lines for a log or a message, `field: what is wrong` (at most `max`). */
export function schemaErrors(kind: SchemaKind, value: unknown, max = 20): string[] {
  return validate(kind, value)
    .slice(0, max)
    .map((e) => `${e.field || 'the document'}: ${e.message}`);
}

// The names the writers and the end-to-end tests call.
export const resultsSchemaErrors = (value: unknown): string[] => schemaErrors('results', value);
export const gradeSchemaErrors = (value: unknown): string[] => schemaErrors('grade', value);
export const explainSchemaErrors = (value: unknown): string[] => schemaErrors('explain', value);
