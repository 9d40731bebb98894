// `explain` in words: per engine what the browser did and said, the standard's steps, and the fix.
import type { Header } from '../model/case.ts';
import type { EngineExplanation, Explanation, ServerChange } from '../explain/explain.ts';

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

export function changeLine(c: ServerChange): string {
  const where = c.response === 'preflight' ? 'on the preflight response (OPTIONS)' : 'on the actual response';
  if (c.status !== undefined) return `${where}: answer with status ${c.status}`;
  const [n, v] = c.header ?? ['', ''];
  return `${where}: ${n}: ${v}`;
}

export function explainText(x: Explanation): string {
  const r = x.request;
  const lines = [
    `explain: ${r.method} ${r.url} from a page on ${r.origin} (credentials: ${r.credentials})${r.headers.length ? ` with ${r.headers.map(([n]) => n).join(', ')}` : ''}`,
    `  the browsers fetched ${r.browserUrl}; the local proxy forwarded it to the server and recorded what crossed the wire.`,
    '',
  ];
  for (const e of x.engines) lines.push(...engineBlock(e), '');
  if (x.enginesDisagree) lines.push('The engines disagree: see each engine above.', '');
  lines.push(`The Fetch standard, over the server's real response headers: ${x.spec.outcome.toUpperCase()}${x.spec.preflight ? ' (with a preflight)' : ''}`);
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
  if (f.request.length) {
    lines.push('Or change the request:');
    for (const c of f.request) lines.push(`  ${c}`);
  }
  lines.push('', `took ${(x.ms / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
