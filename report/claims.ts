// Common claims about CORS, tested against the results. Each claim is data: a statement,
// a predicate that picks the evidence cases, and a rule that decides, per engine, from
// that engine's own rows whether the statement held. Nothing here is hard-coded per
// engine; with no evidence rows the claim is "not measured".
import type { CaseRecord, EngineId, EngineResult, ResultsFile } from '../model/results.ts';
import { BROWSER_BLOCK_LINE, ENGINE_IDS } from '../model/results.ts';
import { headerListContains, headerValues, listedTokens, trimOws } from '../oracle/index.ts';

export interface EvidenceRow {
  c: CaseRecord;
  r: EngineResult;
}

export interface Ruling {
  /** null: the rows exist but none of them can decide (shown as "not measured"). */
  holds: boolean | null;
  /** One sentence from the rows, e.g. "3 of 4 rows were blocked". */
  because: string;
  /** The rows that decided it (counterexamples, or the supporting rows). */
  deciding: EvidenceRow[];
}

export interface Claim {
  id: string;
  statement: string;
  /** What the Fetch standard says, in plain words. */
  truth: string;
  evidence: (c: CaseRecord) => boolean;
  rule: (rows: EvidenceRow[]) => Ruling;
}

export type ClaimVerdict = 'true' | 'false' | 'not measured';

export interface EngineRuling {
  verdict: ClaimVerdict;
  because: string;
  /** Ids of the deciding rows, at most a few. */
  cases: string[];
}

export interface EvaluatedClaim {
  id: string;
  statement: string;
  truth: string;
  /** All evidence case ids (in any engine). */
  evidence: string[];
  engines: Partial<Record<EngineId, EngineRuling>>;
}

// ---- helpers over the case model (headers are read with the oracle's functions) -----------

const isCrossOrigin = (c: CaseRecord): boolean => {
  try {
    return c.request.page.opaque !== undefined || new URL(c.request.url).origin !== new URL(c.request.page.origin).origin;
  } catch {
    return false;
  }
};

const noRedirect = (c: CaseRecord): boolean => !c.response.actual.redirect && !c.response.preflight?.redirect;

/** The actual response carries exactly one Access-Control-Allow-Origin line, equal to `*`. */
const acaoStar = (c: CaseRecord): boolean => {
  // Values as the network delivers them, without surrounding whitespace.
  const v = headerValues(c.response.actual.headers, 'Access-Control-Allow-Origin').map(trimOws);
  return v.length === 1 && v[0] === '*';
};

const SIMPLE_METHODS = ['GET', 'HEAD', 'POST'];

/** The browser itself reported a CORS block in one of the probe's console lines. */
const consoleBlocked = (r: EngineResult): boolean => (r.console ?? []).some((line) => BROWSER_BLOCK_LINE.test(line));

function count(rows: EvidenceRow[], pred: (row: EvidenceRow) => boolean): EvidenceRow[] {
  return rows.filter(pred);
}

/** The statement holds when every row satisfies `ok`; the failing rows decide otherwise. */
function holdsForAll(rows: EvidenceRow[], ok: (row: EvidenceRow) => boolean, what: string): Ruling {
  if (rows.length === 0) return { holds: null, because: 'no row could decide it', deciding: [] };
  const bad = count(rows, (row) => !ok(row));
  return bad.length === 0
    ? { holds: true, because: `all ${rows.length} rows ${what}`, deciding: rows }
    : { holds: false, because: `${bad.length} of ${rows.length} rows did not: ${what}`, deciding: bad };
}

// ---- the claims ------------------------------------------------------------------------

export const CLAIMS: readonly Claim[] = [
  {
    id: 'wildcard-any-site',
    statement: '`Access-Control-Allow-Origin: *` lets any site read the response.',
    truth:
      'True for requests without credentials: `*` matches every origin, `null` included. It stops working as soon as the request carries credentials (next claim) or needs a preflight the server refuses.',
    evidence: (c) =>
      isCrossOrigin(c) && c.request.mode === 'cors' && c.request.credentials !== 'include' && acaoStar(c) && noRedirect(c) && c.response.preflight === null,
    rule: (rows) => holdsForAll(rows, ({ r }) => r.outcome === 'allowed', 'let the page read the response'),
  },
  {
    id: 'credentials-with-wildcard',
    statement: 'Credentialed requests work with `Access-Control-Allow-Origin: *`.',
    truth:
      'False: with `credentials: "include"` the CORS check requires the exact origin and `Access-Control-Allow-Credentials: true`; `*` is taken as a literal and never matches.',
    evidence: (c) => isCrossOrigin(c) && c.request.mode === 'cors' && c.request.credentials === 'include' && acaoStar(c) && noRedirect(c),
    rule: (rows) => holdsForAll(rows, ({ r }) => r.outcome === 'allowed', 'let the page read the response'),
  },
  {
    id: 'only-unsafe-methods-preflight',
    statement: 'Only methods other than GET, POST and HEAD need a preflight.',
    truth:
      'False: a GET or POST with a header that is not CORS-safelisted (any custom header, `Authorization`) or a Content-Type other than form or text/plain (e.g. `application/json`) is preflighted too.',
    evidence: (c) => isCrossOrigin(c) && c.request.mode === 'cors' && SIMPLE_METHODS.includes(c.request.method.toUpperCase()),
    rule: (rows) => {
      const preflighted = count(rows, ({ r }) => r.preflight === true);
      return preflighted.length > 0
        ? { holds: false, because: `${preflighted.length} of ${rows.length} GET/POST/HEAD rows sent a preflight`, deciding: preflighted }
        : { holds: true, because: `none of ${rows.length} GET/POST/HEAD rows sent a preflight`, deciding: rows };
    },
  },
  {
    id: 'acao-request-header',
    statement: '`Access-Control-Allow-Origin` is a request header the browser sends.',
    truth:
      'False: it is a response header. The browser sends `Origin` (and, in a preflight, `Access-Control-Request-Method` and `-Headers`); the server answers with `Access-Control-Allow-Origin`.',
    // A page that sets the header itself gets it sent like any custom header: that says
    // nothing about the browser, so those cases are no evidence.
    evidence: (c) => isCrossOrigin(c) && !headerListContains(c.request.headers, 'Access-Control-Allow-Origin'),
    rule: (rows) =>
      holdsForAll(
        // Only the server's record of the request headers it received can decide; results
        // files written before it was recorded leave the claim "not measured".
        rows.filter(({ r }) => r.server?.requestHeaderNames !== undefined && r.server.requests > 0),
        ({ r }) => (r.server?.requestHeaderNames ?? []).includes('access-control-allow-origin'),
        'reached the server carrying an Access-Control-Allow-Origin request header the page did not set',
      ),
  },
  {
    id: 'failure-only-in-console',
    statement: 'A CORS failure is visible only in the browser console; the page cannot tell.',
    truth:
      'False: the page sees `fetch()` reject with a TypeError. What it cannot see is why: the detailed reason goes to the console only, so the page cannot tell a CORS failure from a network error.',
    evidence: (c) => c.request.mode === 'cors' && isCrossOrigin(c),
    rule: (rows) => {
      // A CORS failure is witnessed by the spec model or by the browser's own console line;
      // the page saw it when its fetch() rejected (the probe records `blocked` only then).
      const seen = count(rows, ({ c, r }) => r.outcome === 'blocked' && (c.spec?.outcome === 'blocked' || consoleBlocked(r)));
      // The console reported a block, yet the page's fetch() resolved. A probe's console
      // lines cover its prior requests too, so only cases without them can show this.
      const unseen = count(rows, ({ c, r }) => r.outcome === 'allowed' && !c.request.prior?.length && consoleBlocked(r));
      if (seen.length > 0) {
        const also = unseen.length > 0 ? `; in ${unseen.length} the console reported a block the page did not see` : '';
        return { holds: false, because: `in ${seen.length} rows with a CORS failure the page's fetch() rejected${also}`, deciding: seen };
      }
      return unseen.length > 0
        ? { holds: true, because: `in ${unseen.length} rows the console reported a CORS block while the page's fetch() resolved`, deciding: unseen }
        : { holds: null, because: `none of ${rows.length} rows had a CORS failure`, deciding: [] };
    },
  },
  {
    id: 'allowed-reads-all-headers',
    statement: 'Once CORS allows a response, the page can read all of its headers.',
    truth:
      'False: only the CORS-safelisted response headers (Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma) and those listed in `Access-Control-Expose-Headers` are readable.',
    evidence: (c) =>
      (c.request.readHeaders ?? []).some((n) => headerListContains(c.response.actual.headers, n)) && c.request.mode === 'cors' && isCrossOrigin(c),
    rule: (rows) => {
      const allowed = count(rows, ({ r }) => r.outcome === 'allowed');
      const hid = count(allowed, ({ c, r }) => {
        const read = new Set((r.readable ?? []).map(([n]) => n.toLowerCase()));
        return (c.request.readHeaders ?? []).some((n) => headerListContains(c.response.actual.headers, n) && !read.has(n.toLowerCase()));
      });
      if (allowed.length === 0) return { holds: null, because: 'no allowed row tried to read headers', deciding: [] };
      return hid.length > 0
        ? { holds: false, because: `in ${hid.length} of ${allowed.length} allowed rows a header the server sent was hidden from the page`, deciding: hid }
        : { holds: true, because: `in all ${allowed.length} allowed rows every header the page asked for was readable`, deciding: allowed };
    },
  },
  {
    id: 'acah-wildcard-any-header',
    statement: '`Access-Control-Allow-Headers: *` allows any request header.',
    truth:
      'Not quite, per the standard: `*` is a wildcard only without credentials, and even then it does not cover `Authorization`, which must be listed by name. Engines differ from the standard here (see the known divergences).',
    evidence: (c) =>
      isCrossOrigin(c) &&
      c.request.mode === 'cors' &&
      c.request.credentials !== 'include' &&
      c.request.headers.length > 0 &&
      listedTokens(c.response.preflight?.headers ?? [], 'Access-Control-Allow-Headers').includes('*'),
    rule: (rows) => holdsForAll(rows, ({ r }) => r.outcome === 'allowed', 'were allowed with their request headers'),
  },
  {
    id: 'cookies-need-include',
    statement: 'Cross-origin fetches send cookies only with `credentials: "include"`.',
    truth:
      "True for CORS: the default (`same-origin`) and `omit` send no cookies cross-origin. With `include`, the cookie's SameSite attribute and the browser's third-party cookie policy still decide.",
    evidence: (c) => c.request.withCookie === true && isCrossOrigin(c),
    rule: (rows) =>
      holdsForAll(
        rows.filter(({ r }) => r.server !== undefined),
        ({ c, r }) => c.request.credentials === 'include' || r.server?.cookieSent === false,
        'sent the cookie only with credentials: include',
      ),
  },
];

const DECIDING_SHOWN = 3;

export function evaluateClaim(claim: Claim, results: ResultsFile): EvaluatedClaim {
  const evidenceCases = results.cases.filter(claim.evidence);
  const engines: Partial<Record<EngineId, EngineRuling>> = {};
  for (const engine of ENGINE_IDS) {
    if (!results.engines.some((e) => e.id === engine)) continue;
    const rows = evidenceCases.map((c) => ({ c, r: c.results[engine] })).filter((row): row is EvidenceRow => row.r !== undefined && row.r.outcome !== 'error');
    if (rows.length === 0) {
      engines[engine] = { verdict: 'not measured', because: 'no evidence rows for this engine', cases: [] };
      continue;
    }
    const ruling = claim.rule(rows);
    engines[engine] = {
      verdict: ruling.holds === null ? 'not measured' : ruling.holds ? 'true' : 'false',
      because: ruling.because,
      cases: ruling.deciding.slice(0, DECIDING_SHOWN).map(({ c }) => c.id),
    };
  }
  return { id: claim.id, statement: claim.statement, truth: claim.truth, evidence: evidenceCases.map((c) => c.id), engines };
}

export function evaluateClaims(results: ResultsFile, claims: readonly Claim[] = CLAIMS): EvaluatedClaim[] {
  return claims.map((c) => evaluateClaim(c, results));
}
