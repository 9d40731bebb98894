// The data files beside index.html (report/build.ts writes them): each is a script that calls
// ccData(build, name, data) once, data being its JSON gzipped and in base64. A script element is
// the one way a page opened from disk may read another file (fetch() of a file: URL is refused),
// and the report's Content-Security-Policy lets scripts come from the report itself and nowhere
// else.
import { DATA_CALLBACK } from './data.ts';

declare global {
  interface Window {
    [DATA_CALLBACK]?: (build: string, name: string, packed: string) => void;
  }
}

const waiting = new Map<string, { resolve: (json: string) => void; reject: (err: Error) => void }>();
const loads = new Map<string, Promise<string>>();

export function acceptDataFiles(build: string): void {
  window[DATA_CALLBACK] = (fileBuild, name, packed) => {
    const w = waiting.get(name);
    if (!w) return;
    waiting.delete(name);
    if (fileBuild === build) inflate(packed).then(w.resolve, w.reject);
    else w.reject(new Error(`${name} is from another build of this report (the folder was rebuilt since this page opened): reload the page`));
  };
}

async function inflate(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

/** The JSON text a data file hands over, loaded once. */
export function loadDataFile(name: string): Promise<string> {
  let p = loads.get(name);
  if (!p) {
    p = new Promise<string>((resolve, reject) => {
      waiting.set(name, { resolve, reject });
      const script = document.createElement('script');
      script.src = name;
      const fail = (why: string): void => {
        if (!waiting.delete(name)) return;
        loads.delete(name);
        reject(new Error(`${name} ${why}: it belongs beside index.html (keep the report’s folder together)`));
      };
      script.addEventListener('error', () => fail('did not load'));
      // A data file calls back while it runs, before its load event.
      script.addEventListener('load', () => fail('handed over no data'));
      document.head.append(script);
    });
    loads.set(name, p);
  }
  return p;
}
