// The published JSON Schemas (schemas/) as validators, one source of truth per file format:
// every results file written or read is checked against schemas/results.schema.json, every
// policy against schemas/policy.schema.json, every grade.json against schemas/grade.schema.json,
// and the errors name the field. A schema node may carry `x-fix`, the advice shown when a
// value fails that node.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
ajv.addKeyword({ keyword: 'x-fix', schemaType: 'string' });

function compile(name: string): ValidateFunction {
  const schema: unknown = JSON.parse(readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8'));
  return ajv.compile(schema as object);
}

const validateResults = compile('results');
const validatePolicySchema = compile('policy');
const validateGrade = compile('grade');
const validateExplain = compile('explain');

/** A JSON pointer such as /cases/3/id as a field path: cases[3].id. */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

/** Schema errors, each as `<JSON pointer> <what is wrong>` (at most 20). */
export function resultsSchemaErrors(data: unknown): string[] {
  if (validateResults(data)) return [];
  return (validateResults.errors ?? []).slice(0, 20).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** A grade.json's schema errors, each as `<JSON pointer> <what is wrong>` (at most 20). */
export function gradeSchemaErrors(data: unknown): string[] {
  if (validateGrade(data)) return [];
  return (validateGrade.errors ?? []).slice(0, 20).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** An explanation's schema errors (`explain --json`), each as `<JSON pointer> <what is wrong>`. */
export function explainSchemaErrors(data: unknown): string[] {
  if (validateExplain(data)) return [];
  return (validateExplain.errors ?? []).slice(0, 20).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** The first schema errors as field paths, e.g. `cases[3].id must be string`. */
export function resultsFieldErrors(data: unknown): string[] {
  if (validateResults(data)) return [];
  return (validateResults.errors ?? []).slice(0, 5).map((e: ErrorObject) => {
    const where = fieldPath(e.instancePath) || 'the file';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : e.keyword === 'enum' || e.keyword === 'const'
          ? ` (${JSON.stringify(e.params)})`
          : '';
    return `${where} ${e.message ?? 'is not valid'}${extra}`;
  });
}

/** One schema error, at a field path, in words a user can act on. */
export interface FieldError {
  path: string;
  message: string;
}

interface SchemaNode {
  'x-fix'?: string;
  properties?: Record<string, SchemaNode>;
}

const describe = (v: unknown): string => JSON.stringify(v) ?? String(v);

function fieldError(e: ErrorObject): FieldError | null {
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const at = fieldPath(e.instancePath);
  const join = (name: string) => (at ? `${at}.${name}` : name);
  switch (e.keyword) {
    case 'required': {
      const name = String((e.params as { missingProperty?: unknown }).missingProperty);
      const fix = node.properties?.[name]?.['x-fix'];
      return { path: join(name), message: `required${fix ? `, ${fix}` : ''}` };
    }
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      const known = Object.keys(node.properties ?? {}).filter((k) => k !== '$schema');
      return { path: join(name), message: `unknown field; the fields are ${known.join(', ')}` };
    }
    // The branch that failed says more than the condition that chose it.
    case 'if':
      return null;
    default:
      return { path: at, message: node['x-fix'] ? `expected ${node['x-fix']}, got ${describe(e.data)}` : `${describe(e.data)} ${e.message ?? 'is not valid'}` };
  }
}

/** A policy's schema errors, one per field (the first said about it), in document order. */
export function policyFieldErrors(data: unknown): FieldError[] {
  if (validatePolicySchema(data)) return [];
  const out = new Map<string, FieldError>();
  for (const e of validatePolicySchema.errors ?? []) {
    const err = fieldError(e);
    if (err && !out.has(err.path)) out.set(err.path, err);
  }
  return [...out.values()];
}
