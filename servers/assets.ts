// The bytes behind a recipe's `asset` (model/case.ts ASSETS): real content of the kind each
// initiator needs, so that what the page sees depends on CORS alone. An image the canvas can
// draw, a script that throws (window.onerror shows whether the error is muted), a module that
// reports it ran, a stylesheet with one rule, an event stream with one message, a font with
// one glyph, a one-frame video and a short sound (servers/binary-assets.ts says how they
// were made and under which licence).
import type { Asset } from '../model/case.ts';
import { ASSET_CONTENT_TYPE } from '../model/initiators.ts';
import { AUDIO_WAV_BASE64, FONT_WOFF_BASE64, VIDEO_WEBM_BASE64 } from './binary-assets.ts';

export interface AssetBody {
  contentType: string;
  bytes: Buffer;
}

/** A 1×1 opaque red PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

const BYTES: Record<Asset, Buffer> = {
  png: PNG,
  // The message names the script, so a page that can read the error can tell it apart from a muted one.
  'classic-script': Buffer.from('throw new Error("cc-classic-script-ran");\n'),
  // A module says it ran to whoever asked: the page's (or a worker's) __ccModuleRan, else, in a
  // worker started on it, its parent by postMessage (a window's postMessage needs a target).
  'module-script': Buffer.from(
    'export const ran = true;\nif (typeof self.__ccModuleRan === "function") self.__ccModuleRan(import.meta.url);\n' +
      'else if (typeof WorkerGlobalScope !== "undefined" && typeof self.postMessage === "function") self.postMessage({ ccModuleRan: import.meta.url });\n',
  ),
  stylesheet: Buffer.from('.cc-probe { color: rgb(1, 2, 3); }\n'),
  'event-stream': Buffer.from('retry: 600000\ndata: cc-event\n\n'),
  font: Buffer.from(FONT_WOFF_BASE64, 'base64'),
  video: Buffer.from(VIDEO_WEBM_BASE64, 'base64'),
  audio: Buffer.from(AUDIO_WAV_BASE64, 'base64'),
};

/** The asset's bytes and default Content-Type (model/initiators.ts ASSET_CONTENT_TYPE). */
export function assetBody(asset: Asset): AssetBody {
  return { contentType: ASSET_CONTENT_TYPE[asset], bytes: BYTES[asset] };
}
