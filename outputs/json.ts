// The JSON outputs and the one rule for every output that has a schema: it is checked against
// its schema as written, and one that breaks it is an error (exit 2) naming the output and the
// schema's errors. The output is still written or printed first, so nothing is lost; only the
// exit code and the message say it is invalid.
import { writeFileSync } from 'node:fs';
import { InternalError } from '../model/errors.ts';
import { schemaErrors } from '../model/schemas.ts';
import { jsonText } from './text.ts';

/** The outputs with a schema of their own, schemas/<kind>.schema.json. */
type OutputKind = 'grade' | 'explain';

/**
 * An output that breaks its own schema. It is an InternalError, not a UserError: the tool wrote
 * it from its own types, so the fault is the tool's (a writer or a schema out of step), and
 * nothing the person running it changes would fix it; the command exits 2 and names it a bug,
 * never a verdict on the target.
 */
export class InvalidOutputError extends InternalError {
  constructor(
    readonly output: string,
    readonly schema: string,
    readonly errors: readonly string[],
  ) {
    super(`${output} does not match ${schema} (it was written all the same):\n  ${errors.join('\n  ')}`);
    this.name = 'InvalidOutputError';
  }
}

/** Checks `text`, a JSON output as written, against the schema of its kind; `output` names it
 *  in the error (a file, or "the explanation"). */
export function checkOutput(kind: OutputKind, text: string, output: string): void {
  const invalid = schemaErrors(kind, JSON.parse(text));
  if (invalid.length) throw new InvalidOutputError(output, `schemas/${kind}.schema.json`, invalid);
}

/** Writes `value` as JSON to `file` and returns the text written, for checkOutput once every
 *  other file of the run is written too. */
export function writeJson(file: string, value: unknown): string {
  const text = jsonText(value, 1);
  writeFileSync(file, text);
  return text;
}
