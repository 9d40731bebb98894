// Which characters a page's host can carry, measured in the three engines: an attacker origin
// such as https://app.example.com_.evil.test (candidates.ts) is worth a probe only when a browser
// can stand on it. The measurement is data, host-characters.json, written by
// scripts/measure-host-characters.ts; how it was measured and what it found is
// docs/host-characters.md. The table is checked when it is first read: a field that is not what
// the types below say is a clear error naming the file and the field, never a silent default.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../../model/errors.ts';
import { ENGINE_IDS, type EngineId } from '../../model/results.ts';
import { ATTACKER_DOMAIN } from '../../model/virtual-origins.ts';

/** One tested form: a character or a percent-encoded one between the allowed host and the
 *  attacker's domain, or a whole host written another way (`host-form`). */
export interface HostCharacterInput {
  /** As written into the URL. */
  input: string;
  kind: 'character' | 'percent-encoded' | 'host-form';
}

/** What one engine did with a page on the candidate's origin. */
export type EngineHostResult =
  | {
      /** A page could be served from such a host, and its fetch() sent an Origin header
       *  with the tested part in the host. */
      accepted: true;
      /** How the Origin header renders the tested part (for `host-form`, the whole host[:port]). */
      sentAs: string;
      /** The Origin header the target received. */
      origin: string;
      /** The page opened on the origin exactly as written: grading's page opener
       *  (pipeline/pages.ts) insists on that, so only these work unchanged as a page origin. */
      asWritten: boolean;
      /** The engine wrote no byte in its CONNECT line (or request line) that Node's HTTP
       *  parser refuses (`"`, backtick, braces). Measured before the proxy percent-encoded
       *  those bytes itself; it serves them now. */
      proxyAsIs: boolean;
    }
  | {
      accepted: false;
      sentAs: null;
      /** The Origin header, when a page ran but its host does not hold the tested part. */
      origin: string | null;
      /** The engine itself refused (its URL parser, its network layer), or it took the whole
       *  host to the proxy, which refused it. */
      refusedBy: 'engine' | 'proxy';
      /** The authorities the engine asked the proxy for, as it wrote them. */
      connect?: string;
      /** The engine's or the page opener's own words. */
      note: string;
    };

/** What Node's WHATWG URL parser makes of the candidate (`new URL(x).origin`). */
export interface NodeHostResult {
  accepted: boolean;
  sentAs: string | null;
  origin: string | null;
}

export interface HostCharacter extends HostCharacterInput {
  node: NodeHostResult;
  engines: Record<EngineId, EngineHostResult>;
}

/** A row as one measurement run makes it: only the engines that ran. */
export type MeasuredHostCharacter = Omit<HostCharacter, 'engines'> & { engines: Partial<Record<EngineId, EngineHostResult>> };

const ALLOWED_HOST = 'app.example.com';
/** What follows the tested part: a dot and the attacker's domain. */
const ATTACKER_SUFFIX = `.${ATTACKER_DOMAIN}`;

/** Every form measured: the printable ASCII characters that are not letters, digits or a dot,
 *  four percent-encoded ones, and three ways of writing the allowed host itself. */
export const HOST_CHARACTER_INPUTS: readonly HostCharacterInput[] = [
  ...[...' !"#$%&\'()*+,-/:;<=>?@[\\]^_`{|}~'].map((input) => ({ input, kind: 'character' as const })),
  ...['%60', '%0b', '%2e', '%5f'].map((input) => ({ input, kind: 'percent-encoded' as const })),
  ...[`${ALLOWED_HOST}.`, 'App.Example.COM', `${ALLOWED_HOST}:443`].map((input) => ({ input, kind: 'host-form' as const })),
];

/** The origin a candidate is measured on, as written (for http, :443 becomes the default :80). */
export function hostUrl(c: HostCharacterInput, scheme: 'http:' | 'https:'): string {
  if (c.kind !== 'host-form') return `${scheme}//${ALLOWED_HOST}${c.input}${ATTACKER_SUFFIX}`;
  return `${scheme}//${scheme === 'http:' ? c.input.replace(/:443$/, ':80') : c.input}`;
}

/** The tested part of a serialized origin: what stands between the allowed host and the
 *  attacker's domain (for `host-form`, the whole host[:port]); null when the host is not
 *  the allowed host, something, then the attacker's domain. */
export function hostPart(c: HostCharacterInput, origin: string): string | null {
  const authority = origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (c.kind === 'host-form') return authority;
  const inside = authority.length > ALLOWED_HOST.length + ATTACKER_SUFFIX.length && authority.startsWith(ALLOWED_HOST) && authority.endsWith(ATTACKER_SUFFIX);
  return inside ? authority.slice(ALLOWED_HOST.length, -ATTACKER_SUFFIX.length) : null;
}

/** Where the table is stored; scripts/measure-host-characters.ts writes it. */
export const HOST_CHARACTERS_FILE = fileURLToPath(new URL('host-characters.json', import.meta.url));

/** The stored measurement: what it was measured on, and one row per form of HOST_CHARACTER_INPUTS, in that order. */
export interface HostCharacterTable {
  /** The scheme, Node's version, and each engine as it names itself (product, version, driver). */
  measured: { scheme: 'http:' | 'https:'; node: string; engines: Record<EngineId, string>; date?: string };
  characters: HostCharacter[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOneOf = <T extends string>(options: readonly T[], v: unknown): v is T => options.some((o) => o === v);

/** Reads and checks a stored table; the first field that is wrong is an error naming the file and the field. */
export function readHostCharacters(file: string = HOST_CHARACTERS_FILE): HostCharacterTable {
  const rel = relative(process.cwd(), file);
  const where = rel && !rel.startsWith('..') ? rel : file;
  const bad = (field: string, expected: string, value: unknown): never => {
    throw new InternalError(
      `${where}: ${field} should be ${expected}, not ${value === undefined ? 'missing' : JSON.stringify(value)}; re-measure with npx tsx scripts/measure-host-characters.ts`,
    );
  };
  /** An object with exactly these fields (those ending in `?` may be left out). */
  const obj = (v: unknown, field: string, keys: readonly string[]): Record<string, unknown> => {
    if (!isObject(v)) return bad(field, 'an object', v);
    const known = keys.map((k) => k.replace(/\?$/, ''));
    const extra = Object.keys(v).find((k) => !known.includes(k));
    if (extra !== undefined) bad(`${field}.${extra}`, `absent (the fields are ${known.join(', ')})`, v[extra]);
    return v;
  };
  const str = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'a string', v));
  const strOrNull = (v: unknown, field: string): string | null => (v === null || typeof v === 'string' ? v : bad(field, 'a string or null', v));
  const bool = (v: unknown, field: string): boolean => (typeof v === 'boolean' ? v : bad(field, 'true or false', v));
  const oneOf = <T extends string>(v: unknown, field: string, options: readonly T[]): T =>
    isOneOf(options, v) ? v : bad(field, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`, v);

  const engineResult = (v: unknown, f: string): EngineHostResult => {
    const accepted = isObject(v) ? v.accepted : undefined;
    if (accepted === true) {
      const o = obj(v, f, ['accepted', 'sentAs', 'origin', 'asWritten', 'proxyAsIs']);
      return {
        accepted: true,
        sentAs: str(o.sentAs, `${f}.sentAs`),
        origin: str(o.origin, `${f}.origin`),
        asWritten: bool(o.asWritten, `${f}.asWritten`),
        proxyAsIs: bool(o.proxyAsIs, `${f}.proxyAsIs`),
      };
    }
    if (accepted === false) {
      const o = obj(v, f, ['accepted', 'sentAs', 'origin', 'refusedBy', 'connect?', 'note']);
      return {
        accepted: false,
        sentAs: o.sentAs === null ? null : bad(`${f}.sentAs`, 'null (the engine did not accept it)', o.sentAs),
        origin: strOrNull(o.origin, `${f}.origin`),
        refusedBy: oneOf(o.refusedBy, `${f}.refusedBy`, ['engine', 'proxy'] as const),
        ...(o.connect !== undefined ? { connect: str(o.connect, `${f}.connect`) } : {}),
        note: str(o.note, `${f}.note`),
      };
    }
    return isObject(v) ? bad(`${f}.accepted`, 'true or false', accepted) : bad(f, 'an object', v);
  };

  const row = (v: unknown, i: number): HostCharacter => {
    const f = `characters[${i}]`;
    const o = obj(v, f, ['input', 'kind', 'node', 'engines']);
    const expected = HOST_CHARACTER_INPUTS[i];
    const input = str(o.input, `${f}.input`);
    if (expected && input !== expected.input) bad(`${f}.input`, `${JSON.stringify(expected.input)} (the rows follow HOST_CHARACTER_INPUTS)`, input);
    const kind = oneOf(o.kind, `${f}.kind`, ['character', 'percent-encoded', 'host-form'] as const);
    if (expected && kind !== expected.kind) bad(`${f}.kind`, JSON.stringify(expected.kind), kind);
    const node = obj(o.node, `${f}.node`, ['accepted', 'sentAs', 'origin']);
    const engines = obj(o.engines, `${f}.engines`, ENGINE_IDS);
    return {
      input,
      kind,
      node: {
        accepted: bool(node.accepted, `${f}.node.accepted`),
        sentAs: strOrNull(node.sentAs, `${f}.node.sentAs`),
        origin: strOrNull(node.origin, `${f}.node.origin`),
      },
      engines: {
        chromium: engineResult(engines.chromium, `${f}.engines.chromium`),
        firefox: engineResult(engines.firefox, `${f}.engines.firefox`),
        webkit: engineResult(engines.webkit, `${f}.engines.webkit`),
      },
    };
  };

  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InternalError(`${where}: the host-character table could not be read (${err instanceof Error ? err.message : String(err)})`);
  }
  const top = obj(parsed, '(the file)', ['measured', 'characters']);
  const m = obj(top.measured, 'measured', ['scheme', 'node', 'engines', 'date?']);
  const me = obj(m.engines, 'measured.engines', ENGINE_IDS);
  const characters = Array.isArray(top.characters) ? top.characters : bad('characters', 'an array', top.characters);
  if (characters.length !== HOST_CHARACTER_INPUTS.length)
    bad('characters', `${HOST_CHARACTER_INPUTS.length} rows, one per form of HOST_CHARACTER_INPUTS`, `${characters.length} rows`);
  return {
    measured: {
      scheme: oneOf(m.scheme, 'measured.scheme', ['http:', 'https:'] as const),
      node: str(m.node, 'measured.node'),
      engines: {
        chromium: str(me.chromium, 'measured.engines.chromium'),
        firefox: str(me.firefox, 'measured.engines.firefox'),
        webkit: str(me.webkit, 'measured.engines.webkit'),
      },
      ...(m.date !== undefined ? { date: str(m.date, 'measured.date') } : {}),
    },
    characters: characters.map(row),
  };
}

let stored: HostCharacterTable | undefined;
/** The stored table, read and checked on first use. */
export function storedHostCharacters(): HostCharacterTable {
  stored ??= readHostCharacters();
  return stored;
}

/**
 * The characters at least one of `engines` accepts in a host, as they go into a URL, one form
 * per distinct result (`%5f` gives what `_` gives, `%60` what a backtick gives: only the first
 * stays). With `proxyAsIs`, only those the project's proxy serves as it is. From the stored
 * table, for all three engines: ! " $ & ' ( ) * + , - ; = _ and the backtick, { } ~ %2e;
 * for Firefox alone: $ + - _ %2e; with `proxyAsIs`, the double quote, the backtick and the
 * braces drop out.
 */
export function hostCharactersFor(
  engines: readonly EngineId[] = ENGINE_IDS,
  options: { proxyAsIs?: boolean; table?: readonly MeasuredHostCharacter[] } = {},
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of options.table ?? storedHostCharacters().characters) {
    if (row.kind === 'host-form') continue;
    const serves = (e: EngineId) => {
      const r = row.engines[e];
      return r?.accepted === true && (!options.proxyAsIs || r.proxyAsIs);
    };
    if (!engines.some(serves)) continue;
    const key = engines.map((e) => row.engines[e]?.sentAs ?? '').join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row.input);
  }
  return out;
}
