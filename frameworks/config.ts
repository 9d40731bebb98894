// A CORS policy written as the configuration of the framework a server runs: express `cors`,
// @fastify/cors, hono's cors, @koa/cors, django-cors-headers, flask-cors, Starlette/FastAPI's
// CORSMiddleware, nginx, Apache and Caddy, and (as text) Spring and ASP.NET Core; and the
// framework a server's own headers name. `explain` writes the smallest fix of one request this
// way, and grading the policy a failing server should have been configured with. Exact origins
// are compared whole; a pattern `https://*.example.com` matches one or more labels before the
// suffix, on that scheme and port only, as the policy file defines it.
import type { Header } from '../model/case.ts';
import { getHeader } from '../oracle/index.ts';

export const FRAMEWORKS = ['express', 'fastify', 'hono', 'koa', 'django', 'flask', 'starlette', 'nginx', 'apache', 'caddy', 'spring', 'aspnetcore'] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_NAMES: Record<FrameworkId, string> = {
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

/** Frameworks whose configurations are applied to a real server of theirs in this repository's tests. */
export const RUN_HERE: readonly FrameworkId[] = ['express', 'fastify', 'hono', 'koa', 'flask'];

/** What a configuration allows, in framework-neutral terms. */
export interface CorsPolicy {
  /** Exact origins; `*` alone for any origin. */
  origins: string[];
  /** Patterns `scheme://*.suffix[:port]`: one or more labels before the suffix, that scheme and port only. */
  originPatterns: string[];
  methods: string[];
  headers: string[];
  /** Response headers the page may read beyond the safelisted ones. */
  exposedHeaders: string[];
  credentials: boolean;
  /**
   * Seconds a preflight may be cached; absent: the framework's default.
   * @asType integer
   * @minimum 0
   */
  maxAge?: number;
}

/** A configuration in one framework's own terms. */
export interface FrameworkSnippet {
  /** The configuration to paste. Empty where the framework cannot say the policy at all. */
  snippet: string;
  /** What the configuration cannot say or what to keep in mind; where the framework cannot express the policy, the first line says so. */
  caveats: string[];
}

/** The framework named by `raw` (case-insensitive, with the usual aliases), or null. */
export function frameworkId(raw: string): FrameworkId | null {
  const lower = raw.toLowerCase();
  const alias: Record<string, FrameworkId> = { fastapi: 'starlette', 'asp.net': 'aspnetcore', aspnet: 'aspnetcore', httpd: 'apache' };
  const id = alias[lower] ?? lower;
  return (FRAMEWORKS as readonly string[]).includes(id) ? (id as FrameworkId) : null;
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

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern `https://*.example.com[:port]` as an anchored regular expression's source (without slashes escaped). */
function patternSource(pattern: string): string {
  const m = /^(https?):\/\/\*\.([^:/]+)(?::(\d+))?$/.exec(pattern);
  if (!m) return `^${reEscape(pattern)}$`;
  return `^${m[1]}://([a-z0-9-]+\\.)+${m[2]?.replace(/[.]/g, '\\.')}${m[3] ? `:${m[3]}` : ''}$`;
}

/** Every exact origin and pattern as one anchored alternation, for servers that match a regular expression. */
function alternation(p: CorsPolicy): string {
  const parts = [...p.origins.map(reEscape), ...p.originPatterns.map((x) => patternSource(x).slice(1, -1))];
  return `^(${parts.join('|')})$`;
}

/** A JavaScript string literal: quotes and backslashes escaped, and every control or line-separator character as a \\u escape. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this escapes
const JS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const js = (v: string) => `'${v.replace(/[\\']/g, '\\$&').replace(JS_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
const jsList = (vs: readonly string[]) => `[${vs.map(js).join(', ')}]`;
/** A JavaScript regular expression literal for a pattern. */
const jsRegex = (pattern: string) => `/${patternSource(pattern).replace(/\//g, '\\/')}/`;
const py = (vs: readonly string[]) => `[${vs.map((v) => JSON.stringify(v)).join(', ')}]`;
const pyRaw = (s: string) => `r"${s}"`;
const quoted = (vs: readonly string[]) => vs.map((x) => JSON.stringify(x)).join(', ');

/** The option names of the JavaScript CORS middlewares: express's cors and @fastify/cors, or hono's and @koa/cors's. */
const CORS_PACKAGE_OPTIONS = { methods: 'methods', headers: 'allowedHeaders', exposed: 'exposedHeaders' } as const;
const HONO_KOA_OPTIONS = { methods: 'allowMethods', headers: 'allowHeaders', exposed: 'exposeHeaders' } as const;

/** A JavaScript middleware's options after `origin`, each line indented by `indent`. */
function jsOptions(p: CorsPolicy, credentials: boolean, names: { methods: string; headers: string; exposed: string }, indent: string): string[] {
  return [
    `${names.methods}: ${jsList(p.methods)},`,
    `${names.headers}: ${jsList(p.headers)},`,
    ...(p.exposedHeaders.length ? [`${names.exposed}: ${jsList(p.exposedHeaders)},`] : []),
    ...(credentials ? ['credentials: true,'] : []),
    ...(p.maxAge !== undefined ? [`maxAge: ${p.maxAge},`] : []),
  ].map((l) => `${indent}${l}`);
}

/**
 * `p` as the configuration of `id`. `originsNote` is the comment on the origin list (what the
 * list holds and what to keep in it).
 */
export function snippetFor(id: FrameworkId, p: CorsPolicy, originsNote: string): FrameworkSnippet {
  const any = p.origins.includes('*');
  const o = p.origins;
  const caveats: string[] = [];
  if (any && p.credentials)
    caveats.push(
      'No configuration can allow any origin with credentials: browsers refuse Access-Control-Allow-Origin: * on a credentialed request, and echoing every Origin lets any site read with the user’s session. Below, any origin without credentials.',
    );
  const credentials = p.credentials && !any;
  // The JavaScript frameworks that take a list of strings and regular expressions.
  const jsOrigins = any ? "'*'" : `[${[...o.map(js), ...p.originPatterns.map(jsRegex)].join(', ')}]`;
  const exposed = p.exposedHeaders.length > 0;
  switch (id) {
    case 'express':
      return {
        snippet: [
          "import cors from 'cors';",
          '',
          '// Before your routes, so that it answers the preflight (OPTIONS) too.',
          'app.use(',
          '  cors({',
          `    origin: ${jsOrigins}, // ${originsNote}`,
          ...jsOptions(p, credentials, CORS_PACKAGE_OPTIONS, '    '),
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
          `  origin: ${jsOrigins}, // ${originsNote}`,
          ...jsOptions(p, credentials, CORS_PACKAGE_OPTIONS, '  '),
          '});',
        ].join('\n'),
        caveats,
      };
    case 'hono': {
      // Hono's origin takes strings or a function; patterns need the function.
      const origin = any
        ? "'*'"
        : p.originPatterns.length
          ? `(origin) => (allowedOrigins.includes(origin) || originPatterns.some((re) => re.test(origin)) ? origin : null)`
          : jsList(o);
      return {
        snippet: [
          "import { cors } from 'hono/cors';",
          '',
          ...(p.originPatterns.length && !any
            ? [`const allowedOrigins = ${jsList(o)}; // ${originsNote}`, `const originPatterns = [${p.originPatterns.map(jsRegex).join(', ')}];`, '']
            : []),
          '// Before your routes, on the paths the page fetches.',
          "app.use('*',",
          '  cors({',
          `    origin: ${origin},${p.originPatterns.length && !any ? '' : ` // ${originsNote}`}`,
          ...jsOptions(p, credentials, HONO_KOA_OPTIONS, '    '),
          '  }),',
          ');',
        ].join('\n'),
        caveats,
      };
    }
    case 'koa': {
      // @koa/cors takes one origin or a function: with credentials and no origin (or '*') it
      // reflects every Origin, so the allowlist is a function.
      if (!any)
        caveats.push(
          "@koa/cors takes a single origin or a function, not a list; and with credentials and origin '*' (or none) it echoes every Origin, so the allowlist is checked in a function.",
        );
      const check = p.originPatterns.length
        ? "(allowedOrigins.has(ctx.get('Origin')) || originPatterns.some((re) => re.test(ctx.get('Origin'))) ? ctx.get('Origin') : '')"
        : "(allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : '')";
      return {
        snippet: [
          "import cors from '@koa/cors';",
          '',
          ...(any
            ? []
            : [
                `const allowedOrigins = new Set(${jsList(o)}); // ${originsNote}`,
                ...(p.originPatterns.length ? [`const originPatterns = [${p.originPatterns.map(jsRegex).join(', ')}];`] : []),
              ]),
          'app.use(',
          '  cors({',
          any ? "    origin: '*'," : `    origin: (ctx) => ${check},`,
          ...jsOptions(p, credentials, HONO_KOA_OPTIONS, '    '),
          '  }),',
          ');',
        ].join('\n'),
        caveats,
      };
    }
    case 'django':
      return {
        snippet: [
          '# settings.py (django-cors-headers; "corsheaders.middleware.CorsMiddleware" high in MIDDLEWARE)',
          'from corsheaders.defaults import default_headers',
          '',
          ...(any
            ? ['CORS_ALLOW_ALL_ORIGINS = True']
            : [
                `CORS_ALLOWED_ORIGINS = ${py(o)}  # ${originsNote}`,
                ...(p.originPatterns.length ? [`CORS_ALLOWED_ORIGIN_REGEXES = [${p.originPatterns.map((x) => pyRaw(patternSource(x))).join(', ')}]`] : []),
              ]),
          `CORS_ALLOW_METHODS = ${py(p.methods)}`,
          `CORS_ALLOW_HEADERS = (*default_headers, ${p.headers.map((h) => JSON.stringify(h.toLowerCase())).join(', ')}${p.headers.length === 1 ? ',' : ''})`,
          ...(exposed ? [`CORS_EXPOSE_HEADERS = ${py(p.exposedHeaders)}`] : []),
          ...(credentials ? ['CORS_ALLOW_CREDENTIALS = True'] : []),
          ...(p.maxAge !== undefined ? [`CORS_PREFLIGHT_MAX_AGE = ${p.maxAge}`] : []),
        ].join('\n'),
        caveats,
      };
    case 'flask':
      if (!any)
        caveats.push(
          'flask-cors compares origins without regard to case; a policy with exact origins is still enforced, but the match is looser than a byte-for-byte one.',
        );
      return {
        snippet: [
          ...(p.originPatterns.length ? ['import re', ''] : []),
          'from flask_cors import CORS',
          '',
          'CORS(',
          '    app,',
          any
            ? '    origins="*",'
            : `    origins=[${[...o.map((x) => JSON.stringify(x)), ...p.originPatterns.map((x) => `re.compile(${pyRaw(patternSource(x))})`)].join(', ')}],  # ${originsNote}`,
          `    methods=${py(p.methods)},`,
          `    allow_headers=${py(p.headers)},`,
          ...(exposed ? [`    expose_headers=${py(p.exposedHeaders)},`] : []),
          ...(credentials ? ['    supports_credentials=True,'] : []),
          ...(p.maxAge !== undefined ? [`    max_age=${p.maxAge},`] : []),
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
          any ? '    allow_origins=["*"],' : `    allow_origins=${py(o)},  # ${originsNote}`,
          ...(p.originPatterns.length && !any
            ? [`    allow_origin_regex=${pyRaw(`^(${p.originPatterns.map((x) => patternSource(x).slice(1, -1)).join('|')})$`)},`]
            : []),
          `    allow_methods=${py(p.methods)},`,
          `    allow_headers=${py(p.headers)},`,
          ...(exposed ? [`    expose_headers=${py(p.exposedHeaders)},`] : []),
          ...(credentials ? ['    allow_credentials=True,'] : []),
          ...(p.maxAge !== undefined ? [`    max_age=${p.maxAge},`] : []),
          ')',
        ].join('\n'),
        caveats,
      };
    case 'nginx': {
      caveats.push(
        '`always` puts the headers on error responses too; an add_header in a nested block replaces every one from outside it, so keep them together.',
      );
      const hdrs = [
        any ? 'add_header Access-Control-Allow-Origin * always;' : 'add_header Access-Control-Allow-Origin $cors_origin always;',
        ...(credentials ? ['add_header Access-Control-Allow-Credentials true always;'] : []),
        ...(any ? [] : ['add_header Vary Origin always;']),
      ];
      return {
        snippet: [
          ...(any
            ? []
            : [
                '# http { } block: the allowed origins',
                'map $http_origin $cors_origin {',
                '    default "";',
                ...o.map((x) => `    "${x}" $http_origin;`),
                ...p.originPatterns.map((x) => `    "~${patternSource(x)}" $http_origin;`),
                '}',
                '',
              ]),
          '# the location the page fetches',
          'location /api/ {',
          '    if ($request_method = OPTIONS) {',
          ...hdrs.map((h) => `        ${h}`),
          `        add_header Access-Control-Allow-Methods "${p.methods.join(', ')}" always;`,
          ...(p.headers.length ? [`        add_header Access-Control-Allow-Headers "${p.headers.join(', ')}" always;`] : []),
          ...(p.maxAge !== undefined ? [`        add_header Access-Control-Max-Age ${p.maxAge} always;`] : []),
          '        return 204;',
          '    }',
          ...hdrs.map((h) => `    ${h}`),
          ...(exposed ? [`    add_header Access-Control-Expose-Headers "${p.exposedHeaders.join(', ')}" always;`] : []),
          '    # proxy_pass or root as before',
          '}',
        ].join('\n'),
        caveats,
      };
    }
    case 'apache': {
      const when = any ? '' : ' env=CORS_ORIGIN';
      return {
        snippet: [
          '# mod_headers and mod_rewrite, in the <VirtualHost> or <Location> the page fetches',
          ...(any
            ? ['Header always set Access-Control-Allow-Origin "*"']
            : [`SetEnvIf Origin "${alternation(p)}" CORS_ORIGIN=$0`, 'Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN']),
          ...(credentials ? ['Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN'] : []),
          `Header always set Access-Control-Allow-Methods "${p.methods.join(', ')}"${when}`,
          ...(p.headers.length ? [`Header always set Access-Control-Allow-Headers "${p.headers.join(', ')}"${when}`] : []),
          ...(exposed ? [`Header always set Access-Control-Expose-Headers "${p.exposedHeaders.join(', ')}"${when}`] : []),
          ...(p.maxAge !== undefined ? [`Header always set Access-Control-Max-Age "${p.maxAge}"${when}`] : []),
          ...(any ? [] : ['Header always merge Vary Origin']),
          'RewriteEngine On',
          'RewriteCond %{REQUEST_METHOD} OPTIONS',
          'RewriteCond %{HTTP:Access-Control-Request-Method} .',
          'RewriteRule ^ - [R=204,L]',
        ].join('\n'),
        caveats,
      };
    }
    case 'caddy':
      return {
        snippet: [
          '# in the site block',
          any ? '@cors header Origin *' : `@cors header_regexp Origin ${alternation(p)}`,
          'header @cors {',
          any ? '    Access-Control-Allow-Origin *' : '    Access-Control-Allow-Origin {header.Origin}',
          ...(credentials ? ['    Access-Control-Allow-Credentials true'] : []),
          `    Access-Control-Allow-Methods "${p.methods.join(', ')}"`,
          ...(p.headers.length ? [`    Access-Control-Allow-Headers "${p.headers.join(', ')}"`] : []),
          ...(exposed ? [`    Access-Control-Expose-Headers "${p.exposedHeaders.join(', ')}"`] : []),
          ...(p.maxAge !== undefined ? [`    Access-Control-Max-Age ${p.maxAge}`] : []),
          ...(any ? [] : ['    Vary Origin']),
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
      if (p.originPatterns.length)
        caveats.push(
          'In allowedOriginPatterns, Spring\'s "*" also matches dots, so "https://*.example.com" covers every depth of subdomain, as the policy does.',
        );
      return {
        snippet: [
          '@Configuration',
          'public class CorsConfig implements WebMvcConfigurer {',
          '    @Override',
          '    public void addCorsMappings(CorsRegistry registry) {',
          '        registry.addMapping("/**")',
          any ? '            .allowedOrigins("*")' : `            .allowedOrigins(${quoted(o)}) // ${originsNote}`,
          ...(p.originPatterns.length && !any ? [`            .allowedOriginPatterns(${quoted(p.originPatterns)})`] : []),
          `            .allowedMethods(${quoted(p.methods)})`,
          ...(p.headers.length ? [`            .allowedHeaders(${quoted(p.headers)})`] : []),
          ...(exposed ? [`            .exposedHeaders(${quoted(p.exposedHeaders)})`] : []),
          ...(p.maxAge !== undefined ? [`            .maxAge(${p.maxAge})`] : []),
          `            .allowCredentials(${credentials});`,
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
          any ? '    .AllowAnyOrigin()' : `    .WithOrigins(${quoted([...o, ...p.originPatterns])}) // ${originsNote}`,
          ...(p.originPatterns.length && !any ? ['    .SetIsOriginAllowedToAllowWildcardSubdomains()'] : []),
          `    .WithMethods(${quoted(p.methods)})`,
          ...(p.headers.length ? [`    .WithHeaders(${quoted(p.headers)})`] : []),
          ...(exposed ? [`    .WithExposedHeaders(${quoted(p.exposedHeaders)})`] : []),
          ...(p.maxAge !== undefined ? [`    .SetPreflightMaxAge(TimeSpan.FromSeconds(${p.maxAge}))`] : []),
          ...(credentials ? ['    .AllowCredentials()'] : []),
          '));',
          '// …',
          'app.UseCors();',
        ].join('\n'),
        caveats,
      };
  }
}
