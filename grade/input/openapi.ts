// The endpoints an OpenAPI 3.0 or 3.1 document declares (--openapi): each operation's path
// with its path parameters filled, its method, and the request headers it declares. The
// document is read, its $refs resolved and it is validated by swagger-parser; this file only
// walks the validated object. Nothing here guesses a value: a path parameter without one in
// the document or on the command line is an error that names it.
import { statSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { isForbiddenMethod, isForbiddenRequestHeader } from '../../oracle/index.ts';
import { GradeSetupError } from '../../pipeline/target.ts';
import {
  boundedYamlParser,
  checkExpandedSize,
  containedFileResolver,
  DOCUMENT_LIMITS,
  type DocumentLimits,
  type Refusals,
  UntrustedDocumentError,
} from './untrusted-document.ts';

/** One operation of the document, as it will be probed. */
export interface ApiOperation {
  /** The path as the document writes it, e.g. /users/{id}. */
  template: string;
  /** The path probed (appended to --target): the servers' base path and the template, its parameters filled. */
  path: string;
  method: string;
  /** Header parameters and API keys sent in a header: the names a caller sends. */
  headers: string[];
}

export interface ApiDocument {
  file: string;
  /** The document's `openapi` version, e.g. 3.1.0. */
  version: string;
  /** The path of servers[0].url put before every path ('' when it has none or --target ends with it). */
  basePath: string;
  operations: ApiOperation[];
  /** The value each path parameter name was given, for the policy's own {name} paths. */
  paramValues: Record<string, string>;
  /** Every path parameter name the document's paths use. */
  paramNames: string[];
  /** What was left out or assumed, for the report's notes. */
  notes: string[];
}

// The parts of an OpenAPI document read here; swagger-parser has validated the whole.
interface Schema {
  example?: unknown;
  examples?: unknown;
  default?: unknown;
  enum?: unknown[];
}
interface Parameter {
  name: string;
  in: string;
  example?: unknown;
  examples?: Record<string, { value?: unknown } | undefined>;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  security?: Array<Record<string, string[]>>;
}
interface Server {
  url: string;
  variables?: Record<string, { default?: string }>;
}
interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
}
interface Document {
  openapi?: string;
  swagger?: string;
  servers?: Server[];
  paths?: Record<string, Record<string, unknown> | undefined>;
  security?: Array<Record<string, string[]>>;
  components?: { securitySchemes?: Record<string, SecurityScheme> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** OpenAPI says header parameters with these names are ignored: other fields describe them. */
const IGNORED_HEADER_PARAMETERS = ['accept', 'content-type', 'authorization'];
/** A path parameter in a path template, `{name}` (OpenAPI's, and the policy's own paths'). */
export const PATH_TEMPLATE = /\{([^}/]+)\}/g;

/** A parameter's value from the document: its example, examples, or its schema's example, examples, default or first enum value. */
function documentValue(p: Parameter): unknown {
  if (p.example !== undefined) return p.example;
  const named = Object.values(p.examples ?? {}).find((e) => e?.value !== undefined);
  if (named) return named.value;
  const s = p.schema ?? {};
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  return undefined;
}

function simple(v: unknown): string | null {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  // The simple style of an array path parameter: its items joined by commas.
  if (Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) return v.join(',');
  return null;
}

/** The path of servers[0].url ("/v1" for "https://api.example.com/v1/"), its variables at their defaults. */
function serverBasePath(server: Server | undefined): string {
  if (!server) return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => server.variables?.[name]?.default ?? '');
  try {
    return decodeURI(new URL(url, 'http://cc-base.invalid').pathname).replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function fail(file: string, problem: string): never {
  throw new GradeSetupError(`--openapi ${file}: ${problem}`);
}

/** swagger-parser's message, in this tool's form: its first lines, without its own heading. */
function parserProblem(err: Error): string {
  const lines = err.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Swagger schema validation failed|Validation failed)\.?$/.test(l));
  const name = err.name || err.constructor.name;
  if (name === 'ResolverError' && /ENOENT|EACCES|EISDIR/.test(err.message))
    return `cannot read a file it refers to (${lines[0] ?? err.message}); fix the $ref or put the file there`;
  if (name === 'ParserError') return `not valid JSON or YAML (${(lines[0] ?? '').replace(/^Error parsing [^:]+: /, '')}); fix the syntax`;
  if (/resolve \$ref/i.test(lines[0] ?? ''))
    return `${lines[0]}; fix the $ref (only $refs within the document, or to files in its folder or below it, are followed; never over the network)`;
  const shown = lines.slice(0, 8);
  return `not a valid OpenAPI document:\n  - ${shown.join('\n  - ')}${lines.length > shown.length ? `\n  - … and ${lines.length - shown.length} more` : ''}`;
}

/**
 * Reads an OpenAPI 3.0 or 3.1 document (JSON or YAML) into the operations to probe.
 * `pathParams` (from --path-param) win over the document's values; `targetPath` is --target's
 * own path, so that a base path it already ends with is not added twice.
 */
export async function loadOpenApi(
  file: string,
  pathParams: Record<string, string> = {},
  targetPath = '',
  limits: DocumentLimits = DOCUMENT_LIMITS,
): Promise<ApiDocument> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    fail(
      file,
      `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of an OpenAPI 3.0 or 3.1 document (JSON or YAML)`,
    );
  }
  if (size > limits.maxBytes) fail(file, `it has ${size} bytes, more than the limit of ${limits.maxBytes} for a document; give the API's own document`);
  // The document may come from a pull request: never over the network, no file outside its
  // folder, bounded YAML, and a bounded size with its $refs expanded (untrusted-document.ts).
  const refusals: Refusals = { first: null };
  const options = () => ({
    resolve: { http: false as const, file: containedFileResolver(file, refusals, limits) },
    parse: { yaml: boundedYamlParser(refusals, limits), json: false as const, text: false as const, binary: false as const },
  });
  let doc: Document;
  try {
    const refs = await SwaggerParser.resolve(file, options());
    checkExpandedSize(file, refs.values(), limits);
    doc = (await SwaggerParser.validate(file, options())) as Document;
  } catch (err) {
    fail(file, refusals.first ?? (err instanceof UntrustedDocumentError ? err.message : parserProblem(err as Error)));
  }
  const version = doc.openapi ?? '';
  if (!/^3\.[01]\./.test(version)) {
    fail(
      file,
      doc.swagger
        ? `it is Swagger ${doc.swagger}; give an OpenAPI 3.0 or 3.1 document (convert it first)`
        : `"openapi": ${JSON.stringify(version)} is not 3.0 or 3.1; give an OpenAPI 3.0 or 3.1 document`,
    );
  }
  const notes: string[] = [];
  const servers = doc.servers ?? [];
  const declaredBase = serverBasePath(servers[0]);
  const ownPath = targetPath.replace(/\/+$/, '');
  const basePath = declaredBase && ownPath.endsWith(declaredBase) ? '' : declaredBase;
  if (declaredBase)
    notes.push(
      basePath
        ? `${file}: servers[0].url has the path ${declaredBase}; it is put before every path of the document (${declaredBase}/…).`
        : `${file}: servers[0].url has the path ${declaredBase}, which --target already ends with; it is not added again.`,
    );
  if (new Set(servers.map((s) => serverBasePath(s))).size > 1) notes.push(`${file}: the servers have different paths; the first one's is used.`);

  const schemes = doc.components?.securitySchemes ?? {};
  const authorization = new Set<string>();
  const operations: ApiOperation[] = [];
  const paramValues: Record<string, string> = {};
  const paramNames = new Set<string>();
  const missing = new Map<string, { name: string; template: string; methods: string[]; why: string }>();
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const key of METHODS) {
      const op = item[key] as Operation | undefined;
      if (!op) continue;
      const method = key.toUpperCase();
      if (method === 'OPTIONS' || isForbiddenMethod(method)) {
        notes.push(
          `${file}: ${method} ${template} is not probed: ${method === 'OPTIONS' ? 'browsers send OPTIONS themselves, as the preflight' : 'no page can send that method'}.`,
        );
        continue;
      }
      // An operation's parameter replaces the path item's of the same name and location.
      const own = op.parameters ?? [];
      const params = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      let filled = true;
      const path = template.replace(PATH_TEMPLATE, (whole, name: string) => {
        paramNames.add(name);
        const p = params.find((x) => x.in === 'path' && x.name === name);
        const fromDocument = p ? documentValue(p) : undefined;
        const value = pathParams[name] ?? (fromDocument === undefined ? null : simple(fromDocument));
        if (value === null) {
          filled = false;
          const why =
            fromDocument !== undefined
              ? `its example is not a simple value`
              : p
                ? 'the document gives it no example, examples, schema example, default or enum'
                : 'the document does not declare it';
          const m = missing.get(`${template} ${name}`) ?? { name, template, methods: [], why };
          m.methods.push(method);
          missing.set(`${template} ${name}`, m);
          return whole;
        }
        paramValues[name] ??= value;
        return encodeURIComponent(value);
      });
      if (!filled) continue;
      const headers: string[] = [];
      for (const p of params.filter((x) => x.in === 'header')) {
        if (IGNORED_HEADER_PARAMETERS.includes(p.name.toLowerCase())) continue;
        if (isForbiddenRequestHeader(p.name, '')) {
          notes.push(`${file}: the header parameter ${p.name} of ${method} ${template} is left out: no page can set it.`);
          continue;
        }
        headers.push(p.name);
      }
      for (const requirement of op.security ?? doc.security ?? []) {
        for (const name of Object.keys(requirement)) {
          const s = schemes[name];
          if (s?.type === 'apiKey' && s.in === 'header' && s.name && !isForbiddenRequestHeader(s.name, '')) headers.push(s.name);
          else if (s && (s.type === 'http' || s.type === 'oauth2' || s.type === 'openIdConnect')) authorization.add(name);
        }
      }
      operations.push({ template, path: basePath + path, method, headers: [...new Set(headers)] });
    }
  }
  if (missing.size) {
    const lines = [...missing.values()].map(
      (m) => `${m.methods.join(', ')} ${m.template}: no value for the path parameter "${m.name}" (${m.why}); give one with --path-param ${m.name}=<value>`,
    );
    fail(file, lines.length === 1 ? (lines[0] as string) : `path parameters without a value:\n  - ${lines.join('\n  - ')}`);
  }
  if (!operations.length) fail(file, 'it declares no operation a page can call under paths; nothing to probe');
  if (authorization.size)
    notes.push(
      `${file}: the security scheme(s) ${[...authorization].join(', ')} send Authorization; it is probed only if the policy lists it in requestHeaders.`,
    );
  return { file, version, basePath, operations, paramValues, paramNames: [...paramNames], notes };
}
