// The SARIF 2.1.0 schema, as a validator: the schema that @microsoft/jest-sarif ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };

export function sarifValidator(): Validator {
  const schema = JSON.parse(readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8')) as object;
  // The SARIF schema is draft-04: Ajv's draft-04 build (CommonJS, the class is the module).
  // One of its patterns is not valid as a Unicode regular expression, so Ajv reads them without
  // the u flag, as the schema's own draft does.
  // Its "uri" and "date-time" formats are not checked (that needs ajv-formats): said once here, not per compile.
  const AjvDraft04 = createRequire(import.meta.url)('ajv-draft-04') as new (opts: {
    allErrors: boolean;
    strict: boolean;
    unicodeRegExp: boolean;
    validateFormats: boolean;
  }) => { compile(schema: object): Validator };
  return new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
}
