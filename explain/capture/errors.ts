// A capture that cannot be read: a usage error (exit 2) whose message names the part of the
// capture at fault and what to copy or change instead.
import { UserError } from '../../model/errors.ts';

export class CaptureError extends UserError {
  constructor(message: string, fix?: string) {
    super(fix ? `${message}; ${fix}` : message, { field: '--from', ...(fix ? { fix } : {}) });
  }
}
