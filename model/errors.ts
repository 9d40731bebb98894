// The error model. A `UserError` is something the person running the tool can act on: bad
// input, a target that cannot be graded, an engine that cannot start. It carries its exit code
// and, where there is one, the field (a flag, a policy field, a file) and the fix; the command
// prints its message and exits with its code. Anything else that reaches the top is a bug in
// this tool and says so: it never becomes a verdict.

export interface UserErrorDetails {
  /** The flag, file or field at fault, e.g. `--target`, `paths[0].origins`. */
  field?: string;
  /** What to change, in one sentence. */
  fix?: string;
  /** Print the command's usage after the message (errors in how the command was called). */
  showUsage?: boolean;
}

/** An error the user can act on. Exit code 2 unless a subclass says otherwise: 1 is reserved
 *  for "the server does not conform", and no error is ever that. */
export class UserError extends Error {
  readonly exitCode: number = 2;
  readonly field: string | undefined;
  readonly fix: string | undefined;
  readonly showUsage: boolean;

  constructor(message: string, details: UserErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.field = details.field;
    this.fix = details.fix;
    this.showUsage = details.showUsage ?? false;
  }
}

/** A broken invariant: a bug in this tool, never the user's input. */
export class InternalError extends Error {
  constructor(message: string) {
    super(`internal error (a bug in cors-conformance): ${message}`);
    this.name = 'InternalError';
  }
}

/** Asserts an invariant the code relies on; a failure is an `InternalError`. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
