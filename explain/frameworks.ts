// The smallest fix, as the configuration of the framework the server runs: express `cors`,
// @fastify/cors, hono's cors, @koa/cors, django-cors-headers, flask-cors, Starlette/FastAPI's
// CORSMiddleware, nginx, Apache and Caddy, and (as text) Spring and ASP.NET Core. Each
// configuration is whole: the origins, methods and request headers the request needs, with
// the ones the server allows today kept, so that pasting it fixes this request without
// breaking the others. Where a framework cannot say it, the configuration says so and gives
// the nearest correct one.
import type { Header } from '../model/case.ts';
import { corsUnsafeRequestHeaderNames, getHeader, isCorsSafelistedMethod, listedTokens } from '../oracle/index.ts';
import type { Explanation } from './explain.ts';
import { ExplainUsageError } from './request.ts';

export const FRAMEWORKS = ['express', 'fastify', 'hono', 'koa', 'django', 'flask', 'starlette', 'nginx', 'apache', 'caddy', 'spring', 'aspnetcore'] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

const NAMES: Record<FrameworkId, string> = {
  express: 'Express with the cors package',
  fastify: 'Fastify with @fastify/cors',
  hono: "Hono's cors middleware",
  koa: 'Koa with @koa/cors',
  django: 'Django with django-cors-headers',
  flask: 'Flask with flask-cors',
  starlette: "Starlette or FastAPI's CORSMiddleware",
  nginx: 'nginx',
  apache: 'Apache httpd (mod_headers, mod_rewrite)',
  caddy: 'Caddy',
  spring: 'Spring (WebMvcConfigurer)',
  aspnetcore: 'ASP.NET Core (CORS middleware)',
};

/** The configuration that makes the request work, in one framework's own terms. */
export interface FrameworkConfig {
  framework: FrameworkId;
  name: string;
  /** How the framework was chosen: named with --framework, or told by the server's headers. */
  chosenBy: 'option' | 'server-headers';
  /** The configuration to paste (a whole one: what the server allows today is kept). */
  snippet: string;
  /** What the configuration allows, in the framework-neutral terms the snippet spells out. */
  policy: CorsPolicy;
  /** What the snippet cannot say or what to keep in mind; where the framework cannot express the fix, the first line says so. */
  caveats: string[];
}

export interface CorsPolicy {
  origins: string[];
  methods: string[];
  headers: string[];
  credentials: boolean;
}

export function parseFramework(raw: string): FrameworkId {
  const lower = raw.toLowerCase();
  const alias: Record<string, FrameworkId> = { fastapi: 'starlette', 'asp.net': 'aspnetcore', aspnet: 'aspnetcore', httpd: 'apache' };
  const id = alias[lower] ?? lower;
  if (!(FRAMEWORKS as readonly string[]).includes(id))
    throw new ExplainUsageError(`--framework ${raw}: use one of ${FRAMEWORKS.join(', ')}`, { field: '--framework' });
  return id as FrameworkId;
}

/** The framework the server's own headers name, where they do. */
export function frameworkFromHeaders(headers: readonly Header[]): FrameworkId | null {
  const server = getHeader(headers, 'server') ?? '';
  const powered = getHeader(headers, 'x-powered-by') ?? '';
  if (/^express$/i.test(powered)) return 'express';
  if (/\bnginx\b/i.test(server)) return 'nginx';
  if (/\bapache\b/i.test(server)) return 'apache';
  if (/\bcaddy\b/i.test(server)) return 'caddy';
  if (/\b(?:uvicorn|hypercorn)\b/i.test(server)) return 'starlette';
  if (/\bwerkzeug\b/i.test(server)) return 'flask';
  if (/\bkestrel\b/i.test(server)) return 'aspnetcore';
  // Spring's CORS processor varies on all three request headers it reads.
  if (/access-control-request-method/i.test(getHeader(headers, 'vary') ?? '')) return 'spring';
  return null;
}

const union = (a: readonly string[], b: readonly string[], same: (x: string, y: string) => boolean) => [...a, ...b.filter((y) => !a.some((x) => same(x, y)))];

/** What the server must allow: today's lists, grown by what this request needs (as the fix grows them). */
export function policyFor(x: Explanation): CorsPolicy {
  const pre = x.responses.preflight?.headers ?? [];
  const actual = x.responses.actual?.headers ?? [];
  const set = (name: string) => x.fix.server?.find((c) => c.header?.[0] === name)?.header?.[1];
  const today = (name: string) => listedTokens(pre, name).filter((t) => t !== '*');
  const m = x.request.method;
  const methods =
    set('Access-Control-Allow-Methods')
      ?.split(',')
      .map((s) => s.trim()) ?? union(today('Access-Control-Allow-Methods'), isCorsSafelistedMethod(m) ? [] : [m], (a, b) => a === b);
  const headers =
    set('Access-Control-Allow-Headers')
      ?.split(',')
      .map((s) => s.trim()) ??
    union(today('Access-Control-Allow-Headers'), corsUnsafeRequestHeaderNames(x.request.headers), (a, b) => a.toLowerCase() === b.toLowerCase());
  const credentials = x.request.credentials === 'include' || getHeader(actual, 'access-control-allow-credentials') === 'true';
  return {
    origins: [x.request.origin],
    // The simple methods are always allowed; listing them keeps a framework's list readable.
    methods: union(['GET', 'HEAD', 'POST'], methods, (a, b) => a === b),
    headers,
    credentials,
  };
}

const js = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const jsList = (vs: readonly string[]) => `[${vs.map(js).join(', ')}]`;
const py = (vs: readonly string[]) => `[${vs.map((v) => JSON.stringify(v)).join(', ')}]`;
const KEEP_ORIGINS = 'keep the other origins you allow in this list';

function snippetFor(id: FrameworkId, p: CorsPolicy): { snippet: string; caveats: string[] } {
  const o = p.origins;
  const caveats: string[] = [];
  switch (id) {
    case 'express':
      return {
        snippet: [
          "import cors from 'cors';",
          '',
          '// Before your routes, so that it answers the preflight (OPTIONS) too.',
          'app.use(',
          '  cors({',
          `    origin: ${jsList(o)}, // ${KEEP_ORIGINS}`,
          `    methods: ${jsList(p.methods)},`,
          `    allowedHeaders: ${jsList(p.headers)},`,
          ...(p.credentials ? ['    credentials: true,'] : []),
          '  }),',
          ');',
        ].join('\n'),
        caveats,
      };
    case 'fastify':
      return {
        snippet: [
          "import cors from '@fastify/cors';",
          '',
          'await fastify.register(cors, {',
          `  origin: ${jsList(o)}, // ${KEEP_ORIGINS}`,
          `  methods: ${jsList(p.methods)},`,
          `  allowedHeaders: ${jsList(p.headers)},`,
          ...(p.credentials ? ['  credentials: true,'] : []),
          '});',
        ].join('\n'),
        caveats,
      };
    case 'hono':
      return {
        snippet: [
          "import { cors } from 'hono/cors';",
          '',
          '// Before your routes, on the paths the page fetches.',
          "app.use('*',",
          '  cors({',
          `    origin: ${jsList(o)}, // ${KEEP_ORIGINS}`,
          `    allowMethods: ${jsList(p.methods)},`,
          `    allowHeaders: ${jsList(p.headers)},`,
          ...(p.credentials ? ['    credentials: true,'] : []),
          '  }),',
          ');',
        ].join('\n'),
        caveats,
      };
    case 'koa':
      // @koa/cors takes one origin or a function: with credentials and no origin (or '*') it
      // reflects every Origin, so the allowlist is a function.
      caveats.push(
        "@koa/cors takes a single origin or a function, not a list; and with credentials and origin '*' (or none) it echoes every Origin, so the allowlist is checked in a function.",
      );
      return {
        snippet: [
          "import cors from '@koa/cors';",
          '',
          `const allowedOrigins = new Set(${jsList(o)}); // ${KEEP_ORIGINS}`,
          'app.use(',
          '  cors({',
          "    origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),",
          `    allowMethods: ${jsList(p.methods)},`,
          `    allowHeaders: ${jsList(p.headers)},`,
          ...(p.credentials ? ['    credentials: true,'] : []),
          '  }),',
          ');',
        ].join('\n'),
        caveats,
      };
    case 'django':
      return {
        snippet: [
          '# settings.py (django-cors-headers; "corsheaders.middleware.CorsMiddleware" high in MIDDLEWARE)',
          'from corsheaders.defaults import default_headers',
          '',
          `CORS_ALLOWED_ORIGINS = ${py(o)}  # ${KEEP_ORIGINS}`,
          `CORS_ALLOW_METHODS = ${py(p.methods)}`,
          `CORS_ALLOW_HEADERS = (*default_headers, ${p.headers.map((h) => JSON.stringify(h.toLowerCase())).join(', ')}${p.headers.length === 1 ? ',' : ''})`,
          ...(p.credentials ? ['CORS_ALLOW_CREDENTIALS = True'] : []),
        ].join('\n'),
        caveats,
      };
    case 'flask':
      return {
        snippet: [
          'from flask_cors import CORS',
          '',
          'CORS(',
          '    app,',
          `    origins=${py(o)},  # ${KEEP_ORIGINS}`,
          `    methods=${py(p.methods)},`,
          `    allow_headers=${py(p.headers)},`,
          ...(p.credentials ? ['    supports_credentials=True,'] : []),
          ')',
        ].join('\n'),
        caveats,
      };
    case 'starlette':
      return {
        snippet: [
          'from starlette.middleware.cors import CORSMiddleware  # FastAPI: from fastapi.middleware.cors import CORSMiddleware',
          '',
          'app.add_middleware(',
          '    CORSMiddleware,',
          `    allow_origins=${py(o)},  # ${KEEP_ORIGINS}`,
          `    allow_methods=${py(p.methods)},`,
          `    allow_headers=${py(p.headers)},`,
          ...(p.credentials ? ['    allow_credentials=True,'] : []),
          ')',
        ].join('\n'),
        caveats,
      };
    case 'nginx': {
      caveats.push(
        '`always` puts the headers on error responses too; an add_header in a nested block replaces every one from outside it, so keep them together.',
      );
      const hdrs = [
        `add_header Access-Control-Allow-Origin $cors_origin always;`,
        ...(p.credentials ? ['add_header Access-Control-Allow-Credentials true always;'] : []),
        'add_header Vary Origin always;',
      ];
      return {
        snippet: [
          '# http { } block: the allowed origins',
          'map $http_origin $cors_origin {',
          '    default "";',
          ...o.map((x) => `    "${x}" $http_origin;`),
          '}',
          '',
          '# the location the page fetches',
          'location /api/ {',
          '    if ($request_method = OPTIONS) {',
          ...hdrs.map((h) => `        ${h}`),
          `        add_header Access-Control-Allow-Methods "${p.methods.join(', ')}" always;`,
          ...(p.headers.length ? [`        add_header Access-Control-Allow-Headers "${p.headers.join(', ')}" always;`] : []),
          '        return 204;',
          '    }',
          ...hdrs.map((h) => `    ${h}`),
          '    # proxy_pass or root as before',
          '}',
        ].join('\n'),
        caveats,
      };
    }
    case 'apache':
      return {
        snippet: [
          '# mod_headers and mod_rewrite, in the <VirtualHost> or <Location> the page fetches',
          `SetEnvIf Origin "^(${o.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$" CORS_ORIGIN=$0`,
          'Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN',
          ...(p.credentials ? ['Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN'] : []),
          `Header always set Access-Control-Allow-Methods "${p.methods.join(', ')}" env=CORS_ORIGIN`,
          ...(p.headers.length ? [`Header always set Access-Control-Allow-Headers "${p.headers.join(', ')}" env=CORS_ORIGIN`] : []),
          'Header always merge Vary Origin',
          'RewriteEngine On',
          'RewriteCond %{REQUEST_METHOD} OPTIONS',
          'RewriteCond %{HTTP:Access-Control-Request-Method} .',
          'RewriteRule ^ - [R=204,L]',
        ].join('\n'),
        caveats,
      };
    case 'caddy':
      return {
        snippet: [
          '# in the site block',
          `@cors header_regexp Origin ^(${o.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`,
          'header @cors {',
          '    Access-Control-Allow-Origin {header.Origin}',
          ...(p.credentials ? ['    Access-Control-Allow-Credentials true'] : []),
          `    Access-Control-Allow-Methods "${p.methods.join(', ')}"`,
          ...(p.headers.length ? [`    Access-Control-Allow-Headers "${p.headers.join(', ')}"`] : []),
          '    Vary Origin',
          '}',
          '@preflight {',
          '    method OPTIONS',
          '    header Access-Control-Request-Method *',
          '}',
          'respond @preflight 204',
        ].join('\n'),
        caveats,
      };
    case 'spring':
      caveats.push(
        'Spring refuses allowedOrigins("*") with allowCredentials(true); list the origins (or use allowedOriginPatterns for a pattern).',
        'Not run here: Spring needs a JVM.',
      );
      return {
        snippet: [
          '@Configuration',
          'public class CorsConfig implements WebMvcConfigurer {',
          '    @Override',
          '    public void addCorsMappings(CorsRegistry registry) {',
          '        registry.addMapping("/**")',
          `            .allowedOrigins(${o.map((x) => JSON.stringify(x)).join(', ')}) // ${KEEP_ORIGINS}`,
          `            .allowedMethods(${p.methods.map((x) => JSON.stringify(x)).join(', ')})`,
          ...(p.headers.length ? [`            .allowedHeaders(${p.headers.map((x) => JSON.stringify(x)).join(', ')})`] : []),
          `            .allowCredentials(${p.credentials});`,
          '    }',
          '}',
        ].join('\n'),
        caveats,
      };
    case 'aspnetcore':
      caveats.push(
        'ASP.NET Core refuses AllowAnyOrigin() with AllowCredentials(); list the origins.',
        'Call app.UseCors() after UseRouting() and before the endpoints.',
        'Not run here: ASP.NET Core needs .NET.',
      );
      return {
        snippet: [
          'builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy',
          `    .WithOrigins(${o.map((x) => JSON.stringify(x)).join(', ')}) // ${KEEP_ORIGINS}`,
          `    .WithMethods(${p.methods.map((x) => JSON.stringify(x)).join(', ')})`,
          ...(p.headers.length ? [`    .WithHeaders(${p.headers.map((x) => JSON.stringify(x)).join(', ')})`] : []),
          ...(p.credentials ? ['    .AllowCredentials()'] : []),
          '));',
          '// …',
          'app.UseCors();',
        ].join('\n'),
        caveats,
      };
  }
}

/** Frameworks tested here by applying the snippet to a real server of theirs (tests/explain/frameworks.spec.ts). */
const RUN_HERE: readonly FrameworkId[] = ['express', 'fastify', 'hono', 'koa', 'flask'];

/**
 * The configuration in `framework` (named, or told by the server's headers) that makes the
 * explained request work; null when no framework is named or told, or nothing needs changing.
 */
export function frameworkConfig(x: Explanation, named: FrameworkId | null): FrameworkConfig | null {
  const told = frameworkFromHeaders([...(x.responses.actual?.headers ?? []), ...(x.responses.preflight?.headers ?? [])]);
  const id = named ?? told;
  if (!id || (x.fix.server && x.fix.server.length === 0)) return null;
  const chosenBy = named ? 'option' : 'server-headers';
  if (!x.fix.server) {
    // No header change can make it work: no configuration can either.
    return {
      framework: id,
      name: NAMES[id],
      chosenBy,
      snippet: '',
      policy: { origins: [], methods: [], headers: [], credentials: false },
      caveats: [`${NAMES[id]} cannot express a fix for this request: no response header change makes it work (above), so no configuration can.`],
    };
  }
  const policy = policyFor(x);
  const { snippet, caveats } = snippetFor(id, policy);
  if (!RUN_HERE.includes(id) && id !== 'spring' && id !== 'aspnetcore') caveats.push("Written from the framework's documented options; not run here.");
  return { framework: id, name: NAMES[id], chosenBy, snippet, policy, caveats };
}
