// Reading an OpenAPI document that may come from a pull request. The document and every file
// its $refs name are read through here: only files inside the document's own folder (after
// symbolic links are followed), none over the network, each under a size limit, a bounded
// number of them, YAML aliases bounded, and the whole, with every $ref expanded, bounded in
// size before anything walks it. Each refusal names the limit and what to do.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export interface DocumentLimits {
  /** The largest file read, the document itself or a file a $ref names. */
  maxBytes: number;
  /** Files read in all, the document included. */
  maxFiles: number;
  /** YAML alias nodes a file may expand (a small file of aliases can stand for billions of nodes). */
  maxAliases: number;
  /** Nodes of the document with every $ref expanded where it is used. */
  maxNodes: number;
}

export const DOCUMENT_LIMITS: DocumentLimits = { maxBytes: 5 * 1024 * 1024, maxFiles: 50, maxAliases: 100, maxNodes: 500_000 };

/** A document this tool refuses to read, and why; the caller names the file and the flag. */
export class UntrustedDocumentError extends Error {}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A URL or path json-schema-ref-parser hands a resolver, as a file system path. */
function toPath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : decodeURIComponent(url);
}

/** What a guard refused, in its own words: the parser wraps a resolver's error in one of its
 *  own ("Error reading file …"), so the reason is kept here for the message. */
export interface Refusals {
  first: string | null;
}

function refuse(refusals: Refusals, message: string): never {
  refusals.first ??= message;
  throw new UntrustedDocumentError(message);
}

/** The file resolver: inside `folder` only, each file under the size limit, so many at most. */
export function containedFileResolver(document: string, refusals: Refusals, limits: DocumentLimits = DOCUMENT_LIMITS) {
  const folder = realpathSync(dirname(resolvePath(document)));
  let files = 0;
  return {
    order: 1,
    canRead: true,
    read(file: { url: string }): Buffer {
      const asked = toPath(file.url);
      let real: string;
      try {
        real = realpathSync(asked);
      } catch (err) {
        refuse(refusals, `a $ref names ${asked}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      if (!isInside(folder, real))
        refuse(
          refusals,
          `a $ref names ${asked}${real !== asked ? ` (really ${real})` : ''}, outside the document's folder ${folder}; only files in that folder or below it are read, so a document cannot send other files to the target`,
        );
      const size = statSync(real).size;
      if (size > limits.maxBytes) refuse(refusals, `${real} has ${size} bytes, more than the limit of ${limits.maxBytes}`);
      if (++files > limits.maxFiles) refuse(refusals, `its $refs name more than ${limits.maxFiles} files`);
      return readFileSync(real);
    },
  };
}

/** YAML (and JSON, which is YAML) with aliases bounded; a file a $ref names must be a mapping or list. */
export function boundedYamlParser(refusals: Refusals, limits: DocumentLimits = DOCUMENT_LIMITS) {
  return {
    order: 1,
    allowEmpty: false,
    canParse: true,
    parse(file: { url: string; data: Buffer | string }): unknown {
      const text = Buffer.isBuffer(file.data) ? file.data.toString('utf8') : file.data;
      let value: unknown;
      try {
        value = parseYaml(text, { maxAliasCount: limits.maxAliases, prettyErrors: false });
      } catch (err) {
        const message = (err as Error).message;
        if (/alias/i.test(message))
          refuse(refusals, `${toPath(file.url)}: its YAML aliases expand past the limit of ${limits.maxAliases} (${message.split('\n')[0]})`);
        refuse(refusals, `${toPath(file.url)}: not valid JSON or YAML (${message.split('\n')[0]}); fix the syntax`);
      }
      if (value === null || typeof value !== 'object')
        refuse(refusals, `${toPath(file.url)} is not a JSON or YAML object; a $ref names a part of an OpenAPI document, never a plain file`);
      return value;
    },
  };
}

/** The resolved files (path → value, as json-schema-ref-parser's $refs.values() gives them). */
type ResolvedFiles = object;

function pointerGet(value: unknown, pointer: string): unknown {
  let at = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Refuses a document whose $refs, expanded where they are used, make more than `maxNodes`
 *  nodes: a few kilobytes of $refs to $refs can stand for more nodes than any walk finishes. */
export function checkExpandedSize(document: string, files: ResolvedFiles, limits: DocumentLimits = DOCUMENT_LIMITS): void {
  const memo = new Map<string, number>();
  const busy = new Set<string>();
  const size = (value: unknown, file: string): number => {
    if (value === null || typeof value !== 'object') return 1;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') return 1 + sizeOfRef(ref, file);
    let n = 1;
    for (const v of Object.values(value as Record<string, unknown>)) {
      n += size(v, file);
      if (n > limits.maxNodes) return n;
    }
    return n;
  };
  const sizeOfRef = (ref: string, from: string): number => {
    const [filePart = '', pointer = ''] = ref.split('#', 2);
    const file = filePart ? resolvePath(dirname(from), toPath(filePart)) : from;
    const key = `${file}#${pointer}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (busy.has(key)) return 1; // a circular $ref: counted once
    busy.add(key);
    const n = size(pointerGet((files as Record<string, unknown>)[file], pointer), file);
    busy.delete(key);
    memo.set(key, n);
    return n;
  };
  const total = size((files as Record<string, unknown>)[resolvePath(document)], resolvePath(document));
  if (total > limits.maxNodes)
    throw new UntrustedDocumentError(
      `with its $refs expanded it has more than ${limits.maxNodes} nodes (a $ref bomb, or a document far larger than any API's)`,
    );
}
