// The element initiators: a request the page makes by putting an element in the document
// (or by import(), or by a FontFace), and what the page can tell from it. An element has no
// promise and no status: it fires load or error, and the page can test whether what it
// loaded is CORS-same-origin (a canvas the image or video was drawn into is not tainted, a
// script's error is not muted, a stylesheet's rules are readable). Each runner reports:
// - outcome `allowed` on load, `blocked` on the error event (or a rejected promise), and
//   `error` when neither came within the probe's timeout;
// - `contentReadable` from that test where the initiator has one (null otherwise);
// - `signal`, a few words of what the page saw, and `error`, the failure as the page saw it.
// Status and type stay null: no element shows them. Every runner removes what it added.
import type { Initiator } from '../../model/case.ts';
import type { FetchOutcome } from '../../model/probe.ts';
import { errorText, type InitiatorContext, type InitiatorTable } from './index.ts';

/** How long a font-face probe waits for its rule's FontFace to appear in the document. */
const FONT_FACE_WAIT_MS = 8_000;

type ElementKind = 'img' | 'script' | 'module-script' | 'stylesheet' | 'font' | 'media';

/** What one runner saw, before it becomes a FetchOutcome. */
interface Seen {
  outcome: FetchOutcome['outcome'];
  signal: string;
  error?: string | null;
  contentReadable?: boolean | null;
}

class ProbeTimeout extends Error {}

function outcomeOf(seen: Seen, t0: number): FetchOutcome {
  return {
    outcome: seen.outcome,
    status: null,
    type: null,
    readable: [],
    error: seen.error ?? (seen.outcome === 'allowed' ? null : seen.signal),
    contentReadable: seen.contentReadable ?? null,
    signal: seen.signal,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

/** An element can only make a plain GET that follows redirects: anything else in the case is
 *  a mistake in the case, reported as such instead of measuring some other request. */
function unsupported(kind: ElementKind, ctx: InitiatorContext): string | null {
  const s = ctx.spec;
  if (s.method !== 'GET') return `initiator ${kind} can only send GET, the case's request.method is ${s.method}: use a fetch or xhr initiator`;
  if (s.headers.length) return `initiator ${kind} cannot send request headers (request.headers has ${s.headers.map(([n]) => n).join(', ')}): leave them empty`;
  if (s.body !== null) return `initiator ${kind} cannot send a body: leave request.body unset`;
  if (s.redirect !== 'follow') return `initiator ${kind} always follows redirects, the case's request.redirect is ${s.redirect}: leave it unset`;
  return null;
}

/** Runs `body` with a timeout; a runner's `cleanup` runs whatever the outcome. */
async function guarded(kind: ElementKind, ctx: InitiatorContext, body: (cleanups: Array<() => void>) => Promise<Seen>): Promise<FetchOutcome> {
  const t0 = performance.now();
  const wrong = unsupported(kind, ctx);
  if (wrong) return outcomeOf({ outcome: 'error', signal: 'not run', error: wrong }, t0);
  const cleanups: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), ctx.timeoutMs);
  });
  try {
    return outcomeOf(await Promise.race([body(cleanups), timeout]), t0);
  } catch (e) {
    if (e instanceof ProbeTimeout) {
      return outcomeOf({ outcome: 'error', signal: 'timed out', error: `probe timed out after ${ctx.timeoutMs} ms: ${kind} saw neither load nor error` }, t0);
    }
    return outcomeOf({ outcome: 'error', signal: 'runner failed', error: `the ${kind} runner failed: ${errorText(e)}` }, t0);
  } finally {
    clearTimeout(timer);
    for (const clean of cleanups.reverse()) {
      try {
        clean();
      } catch {
        // Removing what the runner added cannot change what it saw.
      }
    }
  }
}

/** Resolves with the name of the first of `names` that `target` fires. */
function firstEvent(target: EventTarget, names: string[]): Promise<Event> {
  return new Promise((resolve) => {
    const on = (ev: Event) => {
      for (const n of names) target.removeEventListener(n, on);
      resolve(ev);
    };
    for (const n of names) target.addEventListener(n, on);
  });
}

function container(): HTMLElement {
  return document.body ?? document.documentElement;
}

/** Adds `el` to the document and schedules its removal. */
function attach<E extends HTMLElement>(el: E, cleanups: Array<() => void>, parent: HTMLElement = container()): E {
  parent.appendChild(el);
  cleanups.push(() => el.remove());
  return el;
}

function setCrossOrigin(
  el: HTMLImageElement | HTMLScriptElement | HTMLLinkElement | HTMLMediaElement,
  value: 'absent' | 'anonymous' | 'use-credentials',
): void {
  if (value !== 'absent') el.setAttribute('crossorigin', value);
}

/** Draws `source` into a canvas and reads a pixel back: null when the canvas is tainted
 *  (getImageData throws SecurityError), else the pixel (`r,g,b,a`: all zero when nothing
 *  was drawn); other failures are thrown. */
function canvasPixel(source: CanvasImageSource, width: number, height: number): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, width);
  canvas.height = Math.max(1, height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2d canvas context');
  g.drawImage(source, 0, 0);
  try {
    return Array.from(g.getImageData(0, 0, 1, 1).data).join(',');
  } catch (e) {
    if ((e as { name?: unknown } | null)?.name === 'SecurityError') return null;
    throw e;
  }
}

/** What the canvas test showed, for the signal and contentReadable. */
function canvasTest(source: CanvasImageSource, width: number, height: number): { readable: boolean; words: string } {
  const pixel = canvasPixel(source, width, height);
  return pixel === null ? { readable: false, words: 'canvas tainted' } : { readable: true, words: `canvas readable (pixel ${pixel})` };
}

async function runImg(initiator: Extract<Initiator, { kind: 'img' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return guarded('img', ctx, async (cleanups) => {
    const img = document.createElement('img');
    setCrossOrigin(img, initiator.crossorigin);
    img.style.display = 'none';
    const done = firstEvent(img, ['load', 'error']);
    img.src = ctx.spec.url;
    attach(img, cleanups);
    const ev = await done;
    if (ev.type === 'error') return { outcome: 'blocked', signal: 'error event' };
    const canvas = canvasTest(img, img.naturalWidth, img.naturalHeight);
    return { outcome: 'allowed', signal: `load; ${canvas.words}`, contentReadable: canvas.readable };
  });
}

// A classic script's exception is reported at the window while the script runs
// (`document.currentScript` is that script), and its load event follows at once. The
// listener files each error under its script; without a current script (an engine that
// clears it early) the error waits for the load event that comes right after it.
const scriptErrors = new WeakMap<HTMLScriptElement, ErrorEvent>();
let orphanError: ErrorEvent | null = null;
let listening = false;

function listenForScriptErrors(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('error', (ev) => {
    if (!(ev instanceof ErrorEvent)) return;
    const current = document.currentScript;
    if (current instanceof HTMLScriptElement && current.dataset.ccProbe !== undefined) {
      scriptErrors.set(current, ev);
      ev.preventDefault();
    } else if (current === null) {
      orphanError = ev;
      setTimeout(() => {
        if (orphanError === ev) orphanError = null;
      }, 0);
    }
  });
}

const MUTED_MESSAGE = 'Script error.';

async function runScript(initiator: Extract<Initiator, { kind: 'script' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  listenForScriptErrors();
  return guarded('script', ctx, async (cleanups) => {
    const script = document.createElement('script');
    script.dataset.ccProbe = '';
    setCrossOrigin(script, initiator.crossorigin);
    const done = firstEvent(script, ['load', 'error']);
    script.src = ctx.spec.url;
    attach(script, cleanups);
    const ev = await done;
    if (ev.type === 'error') return { outcome: 'blocked', signal: 'error event' };
    const err = scriptErrors.get(script) ?? orphanError;
    orphanError = null;
    if (!err) return { outcome: 'allowed', signal: 'load; no window.onerror', contentReadable: null };
    const muted = err.message === MUTED_MESSAGE || /(?:^|: )Script error\.$/.test(err.message);
    return { outcome: 'allowed', signal: `load; window.onerror: ${err.message}`, contentReadable: !muted };
  });
}

// The module asset calls self.__ccModuleRan(import.meta.url) when it runs.
const modulesRan = new Set<string>();

declare global {
  interface Window {
    __ccModuleRan?: (url: string) => void;
  }
}

function ranSignal(url: string): string {
  return modulesRan.has(url) ? 'module ran' : 'module did not report running';
}

async function runModuleScript(initiator: Extract<Initiator, { kind: 'module-script' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  window.__ccModuleRan ??= (url: string) => {
    modulesRan.add(url);
  };
  const url = ctx.spec.url;
  if (initiator.form === 'import') {
    // import() fetches with the options of the script that calls it (here the probe's own
    // classic script: cors, same-origin credentials), so `crossorigin` plays no part.
    return guarded('module-script', ctx, async () => {
      try {
        await import(url);
        return { outcome: 'allowed', signal: `import() resolved; ${ranSignal(url)}` };
      } catch (e) {
        return { outcome: 'blocked', signal: 'import() rejected', error: errorText(e) };
      }
    });
  }
  return guarded('module-script', ctx, async (cleanups) => {
    const script = document.createElement('script');
    script.type = 'module';
    setCrossOrigin(script, initiator.crossorigin);
    const done = firstEvent(script, ['load', 'error']);
    script.src = url;
    attach(script, cleanups);
    const ev = await done;
    if (ev.type === 'error') return { outcome: 'blocked', signal: 'error event' };
    return { outcome: 'allowed', signal: `load; ${ranSignal(url)}` };
  });
}

async function runStylesheet(initiator: Extract<Initiator, { kind: 'stylesheet' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return guarded('stylesheet', ctx, async (cleanups) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    setCrossOrigin(link, initiator.crossorigin);
    const done = firstEvent(link, ['load', 'error']);
    link.href = ctx.spec.url;
    attach(link, cleanups, document.head ?? container());
    const ev = await done;
    if (ev.type === 'error') return { outcome: 'blocked', signal: 'error event' };
    const sheet = link.sheet;
    if (!sheet) return { outcome: 'allowed', signal: 'load; no sheet', contentReadable: null };
    try {
      const n = sheet.cssRules.length;
      return { outcome: 'allowed', signal: `load; cssRules readable (${n} rule${n === 1 ? '' : 's'})`, contentReadable: true };
    } catch (e) {
      if ((e as { name?: unknown } | null)?.name !== 'SecurityError') throw e;
      return { outcome: 'allowed', signal: 'load; cssRules throws SecurityError', contentReadable: false };
    }
  });
}

let fontSeq = 0;

/** A CSS string for a URL: a fixture URL has no quote or backslash, but a case's URL might. */
function cssString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\a ')}"`;
}

function unquote(family: string): string {
  return family.replace(/^["']|["']$/g, '');
}

async function runFont(initiator: Extract<Initiator, { kind: 'font' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return guarded('font', ctx, async (cleanups) => {
    const family = `cc-font-${++fontSeq}-${Math.random().toString(36).slice(2, 8)}`;
    const source = `url(${cssString(ctx.spec.url)})`;
    if (initiator.form === 'font-face-api') {
      const face = new FontFace(family, source);
      try {
        await face.load();
        return { outcome: 'allowed', signal: `FontFace.load() resolved; status ${face.status}` };
      } catch (e) {
        return { outcome: 'blocked', signal: `FontFace.load() rejected; status ${face.status}`, error: errorText(e) };
      }
    }
    const style = document.createElement('style');
    style.textContent = `@font-face { font-family: ${cssString(family)}; src: ${source}; }`;
    attach(style, cleanups, document.head ?? container());
    // The rule's FontFace exists once the document's styles are updated (forced here by a
    // layout read): fonts.load() before that finds no face and resolves with none (seen in
    // Chromium and WebKit), so it is asked again until the face is there, and the document's
    // own set is searched too. How long that takes depends on the machine: under two busy
    // loops WebKit needed more than five tries within 750 ms, so the wait is for the face
    // itself, up to FONT_FACE_WAIT_MS or half the probe's own budget. Chromium makes new
    // FontFace objects for every rule when another style sheet comes or goes, so the faces
    // that fonts.load() resolves with are the ones to read first.
    let rejection: string | null = null;
    let faces: FontFace[] = [];
    let attempt = 0;
    const until = performance.now() + Math.min(FONT_FACE_WAIT_MS, ctx.timeoutMs / 2);
    for (; faces.length === 0 && rejection === null && (attempt === 0 || performance.now() < until); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** (attempt - 1), 400)));
      void document.documentElement.offsetWidth;
      try {
        faces = (await document.fonts.load(`16px ${cssString(family)}`, 'A')).filter((f) => unquote(f.family) === family);
      } catch (e) {
        rejection = errorText(e);
      }
      if (faces.length === 0 && rejection === null) {
        document.fonts.forEach((f) => {
          if (unquote(f.family) === family) faces.push(f);
        });
      }
    }
    if (rejection !== null) return { outcome: 'blocked', signal: 'document.fonts.load rejected', error: rejection };
    const face = faces[0];
    if (!face)
      return {
        outcome: 'error',
        signal: 'document.fonts.load matched no face',
        error: `document.fonts.load found no face for the @font-face rule (${family})`,
      };
    // A face found in the document's set may not have been asked to load yet.
    if (face.status === 'unloaded') await face.load().catch(() => {});
    if (face.status === 'loading') await face.loaded.catch(() => {});
    const asked = attempt > 1 ? `document.fonts.load (asked ${attempt} times)` : 'document.fonts.load';
    if (face.status === 'loaded') return { outcome: 'allowed', signal: `${asked} resolved; FontFace loaded` };
    if (face.status === 'error') return { outcome: 'blocked', signal: `${asked} resolved; FontFace error` };
    return { outcome: 'error', signal: `${asked} resolved; FontFace ${face.status}`, error: "document.fonts.load did not load the @font-face rule's font" };
  });
}

const MEDIA_ERRORS: Record<number, string> = { 1: 'MEDIA_ERR_ABORTED', 2: 'MEDIA_ERR_NETWORK', 3: 'MEDIA_ERR_DECODE', 4: 'MEDIA_ERR_SRC_NOT_SUPPORTED' };

/** The canvas test for a video. A canvas the video drew nothing into proves nothing (WebKit
 *  neither draws nor taints before it has a frame to paint, seen at loadeddata), so the test
 *  is repeated until a pixel shows or the canvas is tainted; after a while the video is
 *  played (muted) to make the engine paint a frame. */
async function videoCanvasTest(video: HTMLVideoElement): Promise<{ readable: boolean | null; words: string }> {
  const BLANK = '0,0,0,0';
  let played = false;
  for (let attempt = 0; attempt < 40; attempt++) {
    const pixel = canvasPixel(video, video.videoWidth, video.videoHeight);
    if (pixel === null) return { readable: false, words: 'canvas tainted' };
    if (pixel !== BLANK) return { readable: true, words: `canvas readable (pixel ${pixel}${played ? ', after play()' : ''})` };
    if (attempt === 10) {
      played = true;
      await video.play().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { readable: null, words: `no frame drawn (pixel ${BLANK}${played ? ', after play()' : ''})` };
}

async function runMedia(initiator: Extract<Initiator, { kind: 'media' }>, ctx: InitiatorContext): Promise<FetchOutcome> {
  return guarded('media', ctx, async (cleanups) => {
    const media = document.createElement(initiator.element);
    setCrossOrigin(media, initiator.crossorigin);
    media.muted = true;
    media.preload = 'auto';
    media.style.display = 'none';
    const done = firstEvent(media, ['loadeddata', 'error']);
    media.src = ctx.spec.url;
    attach(media, cleanups);
    cleanups.push(() => {
      media.removeAttribute('src');
      media.load();
    });
    const ev = await done;
    if (ev.type === 'error') {
      const code = media.error?.code ?? 0;
      const message = media.error?.message ? `: ${media.error.message}` : '';
      const what = `MediaError ${MEDIA_ERRORS[code] ?? code}${message}`;
      return { outcome: 'blocked', signal: `error event (${what})`, error: what };
    }
    if (!(media instanceof HTMLVideoElement)) return { outcome: 'allowed', signal: 'loadeddata', contentReadable: null };
    const canvas = await videoCanvasTest(media);
    return { outcome: 'allowed', signal: `loadeddata; ${canvas.words}`, contentReadable: canvas.readable };
  });
}

export const ELEMENT_RUNNERS = {
  img: runImg,
  script: runScript,
  'module-script': runModuleScript,
  stylesheet: runStylesheet,
  font: runFont,
  media: runMedia,
} satisfies Partial<InitiatorTable>;
