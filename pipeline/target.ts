// The target as given on the command line, and the two requests grading makes to it without
// a browser: "does it answer at all" before any engine starts, and the OPTIONS check.
import http from 'node:http';
import https from 'node:https';
import type { Header } from '../model/case.ts';
import { type TargetTls, VERIFY_TLS, type WireExchange } from '../model/wire.ts';
import { pairsFromRaw, redactHeaders } from '../servers/redact.ts';
import { UserError } from '../model/errors.ts';
import { budgetExceeded, type ExchangeBudget, isValidStatus, TARGET_BUDGET } from '../model/budgets.ts';

export class GradeSetupError extends UserError {}

export function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GradeSetupError(`--target ${raw}: not a URL; give the base URL of your server, e.g. http://127.0.0.1:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new GradeSetupError(`--target ${raw}: only http and https targets can be graded`);
  if (url.search || url.hash) throw new GradeSetupError(`--target ${raw}: leave out the query and fragment; paths come from the policy`);
  return url;
}

/** Keep-alive agents for many requests to one target (the origin search's screen). */
export function targetAgents(maxSockets: number, tls: TargetTls = VERIFY_TLS): { http: http.Agent; https: https.Agent; destroy(): void } {
  const a = {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets, ...tlsOptions(tls) }),
  };
  return {
    ...a,
    destroy: () => {
      a.http.destroy();
      a.https.destroy();
    },
  };
}

function tlsOptions(tls: TargetTls): https.AgentOptions {
  return { rejectUnauthorized: !tls.insecure, ...(tls.ca ? { ca: tls.ca } : {}) };
}

/** Node's codes for a certificate it could not verify. */
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|DEPTH_ZERO/;

/** One request straight to the target (no browser, no proxy), its certificate checked as `tls`
 *  says. `timeoutMs` bounds the time to complete response headers (from the moment the request
 *  has a connection, however slowly the bytes come); the body is then drained within the body budget and byte
 *  cap, and the connection is dropped past either, so a target cannot hold a socket forever. */
export interface TargetRequestOptions {
  /** Time to complete response headers; the default is TARGET_BUDGET's. */
  timeoutMs?: number;
  /** The body's time and byte cap (TARGET_BUDGET unless given). */
  budget?: ExchangeBudget;
  agents?: { http: http.Agent; https: https.Agent };
  tls?: TargetTls;
}

export function requestTarget(target: URL, path: string, method: string, requestHeaders: Header[], opts: TargetRequestOptions = {}): Promise<WireExchange> {
  const { agents, tls = VERIFY_TLS } = opts;
  const url = new URL(target.href.replace(/\/+$/, '') + path);
  const base = opts.budget ?? TARGET_BUDGET;
  const budget: ExchangeBudget = { ...base, headersMs: opts.timeoutMs ?? base.headersMs };
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const agent = agents ? (url.protocol === 'https:' ? agents.https : agents.http) : undefined;
    const options = { method, headers: Object.fromEntries(requestHeaders), ...tlsOptions(tls), ...(agent ? { agent } : {}) };
    const req = lib.request(url, options, (res) => {
      clearTimeout(headersTimer);
      drainWithin(res, budget);
      if (!isValidStatus(res.statusCode)) {
        reject(new Error(`the target answered with an invalid status code ${String(res.statusCode ?? '').padStart(3, '0')}`));
        return;
      }
      resolve({
        seq: 0,
        at: Date.now(),
        origin: url.origin,
        method,
        path: url.pathname,
        requestHeaders: redactHeaders(requestHeaders),
        status: res.statusCode,
        // It can become evidence (the OPTIONS check): a Set-Cookie value never enters a report.
        responseHeaders: redactHeaders(pairsFromRaw(res.rawHeaders)),
      });
    });
    // From the moment the request has a connection: time spent queued behind this tool's own
    // other requests to the same target is not the target's.
    let headersTimer: NodeJS.Timeout | undefined;
    req.once('socket', () => {
      headersTimer = setTimeout(() => req.destroy(new Error(budgetExceeded.headers(budget))), budget.headersMs);
    });
    req.on('error', (err) => {
      clearTimeout(headersTimer);
      reject(err);
    });
    req.end();
  });
}

/** Reads and drops a response body; a body that does not end within the budget, or passes the
 *  byte cap, is cut by destroying the response (and with it the socket). */
function drainWithin(res: http.IncomingMessage, budget: ExchangeBudget): void {
  let bytes = 0;
  const cut = () => res.destroy();
  const timer = setTimeout(cut, budget.bodyMs);
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > budget.maxBodyBytes) cut();
  });
  res.on('close', () => clearTimeout(timer));
  res.on('error', () => clearTimeout(timer));
}

/**
 * An OPTIONS request with an Origin but no Access-Control-Request-Method is not a preflight
 * (Fetch §3.3.2) and belongs to the application. No page can send one without a preflight
 * of its own, so this one check is made from here, not from a browser.
 */
export function optionsExchange(target: URL, path: string, origin: string, tls: TargetTls, timeoutMs = 5_000): Promise<WireExchange | null> {
  return requestTarget(target, path, 'OPTIONS', [['Origin', origin]], { timeoutMs, tls }).catch(() => null);
}

/** The target must answer (any HTTP status) before any probing starts. */
export async function checkTargetAnswers(target: URL, path: string, tls: TargetTls = VERIFY_TLS, timeoutMs = 5_000): Promise<number> {
  try {
    return (await requestTarget(target, path, 'GET', [], { timeoutMs, tls })).status ?? 0;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // A certificate the client cannot verify is a setup problem, never a CORS verdict.
    if (CERTIFICATE_ERRORS.test(e.code ?? '')) {
      throw new GradeSetupError(
        `the target ${target.href} has a certificate that cannot be verified (${e.code}: ${e.message}); give its CA with --ca <file.pem>, or turn verification off with --insecure`,
      );
    }
    const where = target.href.replace(/\/+$/, '') + path;
    // No code: the target answered, but not within a budget or not with HTTP (e.g. status 000).
    throw new GradeSetupError(
      e.code ? `the target ${where} did not answer (${e.code}); start the server, or fix --target` : `the target ${where} cannot be graded: ${e.message}`,
    );
  }
}
