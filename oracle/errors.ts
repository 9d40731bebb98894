// The spec model's own error: a case it cannot decide, or one no page could make.
import { UserError } from '../model/errors.ts';

/** Thrown for a case the model cannot decide, naming the field to change. */
export class OracleCaseError extends UserError {}
