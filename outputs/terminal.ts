// What the commands print for a person at a terminal: the grade's summary and explain's text.
// Each line is built as plain text and goes out through terminalText, so a header, a path or a
// console message can neither colour the screen, move the cursor nor start a line of its own.
import type { Header } from '../model/case.ts';
import { cookiePolicyLines } from '../grade/probes/cookie-policy.ts';
import type { GradeReport } from '../grade/types.ts';
import type { EngineExplanation, Explanation } from '../explain/explain.ts';
import type { CaptureInfo } from '../explain/capture/request.ts';
import { cookiePolicyQuestion, endpointLine, signedInLine } from './grade-words.ts';
import { CAPTURE_FORMATS, CAPTURE_SHAPES, changeLine } from './explain-words.ts';
import { terminalText } from './text.ts';

/** Lines as the terminal gets them: one per entry, whatever the entry holds. */
const terminalLines = (lines: readonly string[]): string => lines.map(terminalText).join('\n');

export function terminalSummary(r: GradeReport): string {
  const lines = [
    `cors-conformance grade: ${r.verdict.toUpperCase()}  target ${r.target}`,
    `engines: ${r.engines.map((e) => `${e.id} ${e.version}`).join(', ')}; ${r.probes.length} probes each`,
  ];
  if (r.certificate === 'not-checked') lines.push("certificate verification: OFF (--insecure): the target's certificate was not checked");
  lines.push(
    `${r.endpoints.length} path(s): ${r.endpoints.slice(0, 8).map(endpointLine).join('; ')}${r.endpoints.length > 8 ? `; and ${r.endpoints.length - 8} more in grade.json` : ''}`,
  );
  const signedIn = signedInLine(r);
  if (signedIn) lines.push(signedIn);
  const question = cookiePolicyQuestion(r);
  if (r.cookiePolicy && question) lines.push(`cookie policy, measured: ${question}:`, ...cookiePolicyLines(r.cookiePolicy).map((l) => `  ${l}`));
  if (r.search) {
    const s = r.search;
    lines.push(
      `origin search: ${s.candidates} candidates, ${s.screened} candidate × path pairs over ${r.endpoints.length} path(s) screened in ${s.ms.screen} ms (${s.perSecond}/s); ${s.flagged} flagged, ${s.probed} tried in the browsers, ${s.confirmed} confirmed${s.unreachable ? `, ${s.unreachable} no browser can send` : ''}${s.sampled ? ` (${s.sampled})` : ''}`,
    );
  } else lines.push('origin search: off (the fixed battery alone)');
  if (!r.causes.length) lines.push('no findings');
  else lines.push(`${r.causes.length} root cause(s), from ${r.findings.length} finding(s):`);
  for (const c of r.causes) {
    lines.push(`  [${c.severity}] ${c.category}: ${c.title}. ${c.summary}`);
    lines.push(`         fix: ${c.fix}`);
  }
  if (r.configuration) {
    const k = r.configuration;
    lines.push(
      `the fix as ${k.name}'s configuration${k.chosenBy === 'server-headers' ? " (the target's headers name it; choose another with --framework)" : ''}:`,
    );
    for (const b of k.blocks) {
      lines.push(`  for ${b.paths.join(', ')}, fixing ${b.causes.map((i) => r.causes[i]?.category).join(', ')}:`);
      for (const l of b.snippet ? b.snippet.split('\n') : []) lines.push(l ? `    ${l}` : '');
      for (const l of b.caveats) lines.push(`    note: ${l}`);
    }
  }
  if (r.findings.length) lines.push('findings (the evidence):');
  for (const f of r.findings.slice(0, 40)) {
    lines.push(
      `  [${f.severity}] ${f.category} on ${f.path}: ${f.origin}${f.credentialed ? ' (credentialed)' : ''} ${f.engines.length ? `in ${f.engines.join(', ')}` : 'without a browser'} — ${f.detail} (${f.probe})`,
    );
  }
  if (r.findings.length > 40) lines.push(`  … and ${r.findings.length - 40} more in grade.json`);
  if (r.errors.length) {
    lines.push(`${r.errors.length} probe(s) gave no verdict:`);
    for (const e of r.errors.slice(0, 10)) lines.push(`  ${e}`);
  }
  return terminalLines(lines);
}

const headerLines = (hs: readonly Header[], mark: string) => hs.map(([n, v]) => `      ${mark} ${n}: ${v}`);

function engineBlock(e: EngineExplanation): string[] {
  const lines = [`${e.engine.id} (${e.engine.name} ${e.engine.version}): ${e.outcome.toUpperCase()}`];
  lines.push(
    e.preflight.sent
      ? `  preflight: sent, asking for ${e.preflight.method ?? '?'}${e.preflight.headers ? ` with ${e.preflight.headers}` : ''}`
      : '  preflight: none sent',
  );
  for (const x of e.exchanges) {
    lines.push(`  ${x.method} ${x.url} → ${x.status ?? 'no response'}`);
    lines.push(...headerLines(x.responseHeaders, '<'));
  }
  if (e.readable) lines.push(`  the page could read: status ${e.readable.status}, headers ${e.readable.headers.map(([n]) => n).join(', ') || 'none'}`);
  else if (e.pageError) lines.push(`  the page saw: ${e.pageError}`);
  lines.push(`  the browser said: ${e.browserMessage ?? (e.outcome === 'allowed' ? 'nothing (allowed)' : 'no console message was captured')}`);
  if (e.divergence) lines.push(`  the standard says otherwise; a known divergence explains it: ${e.divergence.id} (${e.divergence.title})`);
  return lines;
}

/** What explain read from a capture: its format, where the origin came from, what was left out (cookies by name). */
function captureLines(c: CaptureInfo): string[] {
  const shape = c.shape ? `, as ${CAPTURE_SHAPES[c.shape]} writes it` : '';
  const entry = c.entry ? ` (entry ${c.entry.index} of ${c.entry.of})` : '';
  const lines = [
    `  read from ${CAPTURE_FORMATS[c.format]}${shape}${entry}; the page's origin from ${c.originFrom === '--origin' ? '--origin' : `its ${c.originFrom}`}`,
  ];
  if (c.leftOut.length) lines.push(`  left out (not set by the page): ${c.leftOut.map((l) => l.name).join(', ')}`);
  for (const n of c.notes) lines.push(`  ${n}`);
  return lines;
}

/** `explain` in words: per engine what the browser did and said, the standard's steps, and the fix. */
export function explainText(x: Explanation): string {
  const r = x.request;
  const recorded = x.capture?.recorded === 'used';
  const lines = [
    `explain: ${r.method} ${r.url} from a page on ${r.origin} (credentials: ${r.credentials})${r.headers.length ? ` with ${r.headers.map(([n]) => n).join(', ')}` : ''}`,
    ...(x.capture ? captureLines(x.capture) : []),
    recorded
      ? '  no browser ran it: the server did not answer, so the spec model explains it over the responses the HAR recorded.'
      : `  the browsers fetched ${r.browserUrl}; the local proxy forwarded it to the server and recorded what crossed the wire.`,
    '',
  ];
  for (const e of x.engines) lines.push(...engineBlock(e), '');
  if (x.enginesDisagree) lines.push('The engines disagree: see each engine above.', '');
  if (recorded) {
    const { preflight, actual } = x.responses;
    for (const [what, rec] of [
      ['preflight (OPTIONS)', preflight],
      ['actual request', actual],
    ] as const) {
      lines.push(`  recorded ${what}: ${rec ? rec.status : 'no response (the browser blocked it, or it was never sent)'}`);
      if (rec) lines.push(...headerLines(rec.headers, '<'));
    }
    lines.push('');
  }
  lines.push(
    `The Fetch standard, over the server's ${recorded ? 'recorded' : 'real'} response headers: ${x.spec.outcome.toUpperCase()}${x.spec.preflight ? ' (with a preflight)' : ''}`,
  );
  x.spec.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.decision}`, `     ${s.anchor}`);
  });
  lines.push('');
  const f = x.fix;
  if (f.server?.length === 0 && x.spec.outcome === 'allowed') lines.push('No change needed: the standard allows this request as the server answers it.');
  else if (f.server) {
    lines.push('The smallest change on the server that makes it work:');
    for (const c of f.server) lines.push(`  ${changeLine(c)}`);
    if (f.server.some((c) => c.header?.[0] === 'Access-Control-Allow-Origin' && c.header[1] !== '*')) {
      lines.push(`  Send that origin only to ${r.origin} (compare it with an allowlist), and add Vary: Origin.`);
    }
  } else lines.push(f.why ?? 'No response header change makes this request work.');
  if (x.config) {
    const c = x.config;
    lines.push('', `In ${c.name}${c.chosenBy === 'server-headers' ? " (the server's headers name it; choose another with --framework)" : ''}:`);
    for (const l of c.snippet ? c.snippet.split('\n') : []) lines.push(l ? `  ${l}` : '');
    for (const l of c.caveats) lines.push(`  note: ${l}`);
  }
  if (f.request.length) {
    lines.push('Or change the request:');
    for (const c of f.request) lines.push(`  ${c}`);
  }
  if (x.repro) lines.push('', `repro written to ${x.repro.dir} (${x.repro.files.join(', ')}): cd ${x.repro.dir} && ${x.repro.command}`);
  lines.push('', `took ${(x.ms / 1000).toFixed(1)} s`);
  return terminalLines(lines);
}
