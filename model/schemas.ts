// The published JSON Schemas (schemas/) as validators: every results file written or read
// is checked against schemas/results.schema.json, and the errors name the field.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';

const schema: unknown = JSON.parse(readFileSync(new URL('../schemas/results.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema as object);

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
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** The first schema errors as field paths, e.g. `cases[3].id must be string`. */
export function resultsFieldErrors(data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e: ErrorObject) => {
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
