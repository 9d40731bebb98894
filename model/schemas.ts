// Every results file written is checked against the published JSON Schema
// (schemas/results.schema.json); an invalid file is an error, never silently written.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';

const schema: unknown = JSON.parse(readFileSync(new URL('../schemas/results.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema as object);

export function resultsSchemaErrors(data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
