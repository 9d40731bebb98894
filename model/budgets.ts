// What this tool allows a target per exchange. A target is untrusted: it may send its headers
// one byte a second, a body that never ends, or gigabytes. Every request to it (the
// reachability check, the OPTIONS check, the origin search's screen, the proxy forwarding a
// browser's request, explain's direct request) runs within these budgets; an exceeded budget
// is named in words, and is an error, never a CORS verdict.

export interface ExchangeBudget {
  /** From the request's start until the response's status line and headers are complete. */
  headersMs: number;
  /** From the headers until the body's end. */
  bodyMs: number;
  /** The most body bytes read (or passed on to a browser); past it the exchange is cut. */
  maxBodyBytes: number;
}

export const TARGET_BUDGET: ExchangeBudget = { headersMs: 10_000, bodyMs: 20_000, maxBodyBytes: 16 * 1024 * 1024 };

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** The words for each exceeded budget, as the reports and errors say them. */
export const budgetExceeded = {
  headers: (b: ExchangeBudget): string => `the target sent no complete response headers within ${seconds(b.headersMs)}`,
  body: (b: ExchangeBudget): string => `the target's response body did not end within ${seconds(b.bodyMs)} of its headers`,
  bytes: (b: ExchangeBudget): string => `the target's response body passed ${Math.round(b.maxBodyBytes / 1024 / 1024)} MiB; it was cut there`,
};

/** A status line no HTTP response may carry (000, 099, 1000…): an answer that is no answer. */
export function isValidStatus(status: number | undefined): status is number {
  return status !== undefined && Number.isInteger(status) && status >= 100 && status <= 999;
}
