// Mixed content: an https page (a secure context) that loads an http URL. The Mixed Content
// standard upgrades an image, audio or video request to https and blocks every other one
// before it goes out, on every redirect hop; CORS never comes into it (each CORS answer allows
// `*`). Every loader to an http target on another site and on the page's own host, and a
// redirect from an https target to http.
import { ORIGINS } from '../../model/origins.ts';
import { sentence } from './initiators.ts';
import { LOADERS, loaderOf } from './loaders.ts';
import { factor, pick, redirect, targetUrl, val, type Block, type Route } from './shared.ts';

const HTTP_TARGETS: Record<string, Route> = {
  'cross-site': { page: { origin: ORIGINS.pageHttps }, target: ORIGINS.crossSite, site: 'cross-site', says: 'a cross-site http target from an https page' },
  'same-host': { page: { origin: ORIGINS.pageHttps }, target: ORIGINS.page, site: 'cross-site', says: "the page's own host over http from an https page" },
};

const loaderBlock: Block = {
  topic: 'mixed-content',
  name: 'loader',
  exhaustive: [factor('loader', Object.keys(LOADERS)), factor('target', Object.keys(HTTP_TARGETS))],
  pairwise: [],
  build: (row) => {
    const r = pick(HTTP_TARGETS, val(row, 'target'), 'http target');
    const load = loaderOf(val(row, 'loader'));
    return {
      title: sentence(`${load.says}, loading ${r.says}.`),
      route: r,
      request: load.request,
      response: { preflight: null, actual: load.answer([]) },
    };
  },
};

const redirectBlock: Block = {
  topic: 'mixed-content',
  name: 'redirect',
  exhaustive: [factor('loader', ['fetch', 'fetch-no-cors', 'img', 'script', 'stylesheet'])],
  pairwise: [],
  build: (row) => {
    const load = loaderOf(val(row, 'loader'));
    const next = { preflight: null, actual: load.answer([]) };
    // A CORS request's redirect must pass the CORS check too.
    const first = redirect(302, load.request.mode === 'cors' ? [['Access-Control-Allow-Origin', '*']] : [], ORIGINS.crossSite, next);
    return {
      title: sentence(`${load.says} from an https page, loading a cross-site https target which redirects (302) to the same path over http.`),
      route: { page: { origin: ORIGINS.pageHttps }, target: ORIGINS.crossSiteHttps },
      request: { ...load.request, url: targetUrl(ORIGINS.crossSiteHttps, 'mixed-content', 'redirect') },
      response: { preflight: null, actual: first },
    };
  },
};

export const MIXED_CONTENT_BLOCKS: Block[] = [loaderBlock, redirectBlock];
