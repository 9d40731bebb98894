// `explain` from the command line's options to an explanation: the request from the flags or
// from a capture (--from), the server checked first (a server that does not answer is a setup
// error, never a CORS block), then the engines. A HAR's recorded answers stand in for a server
// that no longer answers: the spec model explains over them, no browser runs, and the
// explanation says so.
import type { BrowserChoice } from '../engines/index.ts';
import { UserError } from '../model/errors.ts';
import { type TargetTls, VERIFY_TLS } from '../model/wire.ts';
import { openGradeSession } from '../pipeline/session.ts';
import { checkTargetAnswers } from '../pipeline/target.ts';
import { CaptureError } from './capture/errors.ts';
import { MAX_CAPTURE_BYTES } from './capture/formats.ts';
import { type CapturedRequest, readCapture } from './capture/request.ts';
import { explain, explainRecorded, type Explanation } from './explain.ts';
import { type ExplainArgs, ExplainUsageError, parseExplainArgs } from './request.ts';
import { frameworkConfig, parseFramework } from './frameworks.ts';
import { writeRepro } from './repro.ts';

export interface ExplainOptions extends ExplainArgs {
  /** A capture's file, or "-" for standard input. */
  from?: string;
  /** HAR: the entry to explain, an index from 0 or a URL. */
  entry?: string;
  /** The server's framework, for the fix in its configuration; else told by the server's headers. */
  framework?: string;
  /** A folder to write the repro bundle into. */
  repro?: string;
}

export interface ExplainRuntime {
  tls?: TargetTls;
  /** The builds to use (the entry point reads them from the environment). */
  browsers: BrowserChoice;
  timeoutMs?: number;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_CAPTURE_BYTES)
      throw new CaptureError(`--from -: standard input is larger than ${MAX_CAPTURE_BYTES / 1024 / 1024} MB`, 'give only the requests you need');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readFrom(from: string): Promise<string> {
  if (from === '-') return readStdin();
  const { stat, readFile } = await import('node:fs/promises');
  try {
    const s = await stat(from);
    if (!s.isFile()) throw new CaptureError(`--from ${from}: not a file`, 'give a file with the capture, or - to read standard input');
    if (s.size > MAX_CAPTURE_BYTES)
      throw new CaptureError(`--from ${from}: larger than ${MAX_CAPTURE_BYTES / 1024 / 1024} MB`, 'export only the requests you need');
    return await readFile(from, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new CaptureError(
      `--from ${from}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'give the path of the capture, or - for standard input',
    );
  }
}

/** The request to explain: from the flags, or from a capture (whose own fields the flags may not restate). */
async function explainInput(o: ExplainOptions): Promise<{ request: CapturedRequest['request']; captured: CapturedRequest | null }> {
  if (o.from === undefined) {
    if (o.entry !== undefined) throw new ExplainUsageError('--entry chooses an entry of a HAR given with --from; give --from <file.har> too');
    return { request: parseExplainArgs(o), captured: null };
  }
  const restated = [
    o.url !== undefined ? 'the URL' : null,
    o.method ? '--method' : null,
    o.header?.length ? '--header' : null,
    o.body !== undefined ? '--body' : null,
  ].filter((x): x is string => x !== null);
  if (restated.length)
    throw new ExplainUsageError(
      `--from: the capture gives the request; leave out ${restated.join(', ')} (only --origin, --credentials and --engine add to a capture)`,
      {
        field: '--from',
      },
    );
  const captured = readCapture(await readFrom(o.from), {
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
    ...(o.credentials !== undefined ? { credentials: o.credentials } : {}),
    ...(o.engine ? { engine: o.engine } : {}),
    ...(o.entry !== undefined ? { entry: o.entry } : {}),
  });
  return { request: captured.request, captured };
}

/** Explains the request the options give, in the engines they name (or over a HAR's answers). */
export async function runExplain(o: ExplainOptions, rt: ExplainRuntime): Promise<Explanation> {
  const framework = o.framework !== undefined ? parseFramework(o.framework) : null;
  const x = await explainAny(o, rt);
  const config = frameworkConfig(x, framework);
  const out = config ? { ...x, config } : x;
  return o.repro !== undefined ? { ...out, repro: writeRepro(o.repro, out) } : out;
}

async function explainAny(o: ExplainOptions, rt: ExplainRuntime): Promise<Explanation> {
  const { request: req, captured } = await explainInput(o);
  const tls = rt.tls ?? VERIFY_TLS;
  try {
    await checkTargetAnswers(new URL(req.url.origin), req.url.pathname + req.url.search, tls);
  } catch (err) {
    // A server that does not answer is a setup error, never a CORS block; with a HAR's recorded
    // answers, the spec model can still explain the request over them.
    if (!(err instanceof UserError) || !captured) throw err;
    if (!captured.recorded) {
      if (captured.info.format !== 'har') throw err;
      throw new CaptureError(
        `${err.message}; the HAR recorded no response for this request either (the browser blocked it before an answer was recorded), so there is nothing to explain it over`,
        'start the server and run explain again',
      );
    }
    return explainRecorded(req, captured.recorded, {
      ...captured.info,
      notes: [...captured.info.notes, `The server did not answer: ${err.message}.`],
    });
  }
  const session = await openGradeSession(req.engines, rt.browsers);
  try {
    const x = await explain(session, req, { tls, ...(rt.timeoutMs ? { timeoutMs: rt.timeoutMs } : {}) });
    return captured ? { ...x, capture: captured.info } : x;
  } finally {
    await session.close();
  }
}
