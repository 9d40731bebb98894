// A grading session: the proxy and the engines, started once; many gradings can run in it
// (library mode grades several policies, the Playwright gate one per worker).
import { launchEngine, type BrowserChoice, type Engine } from '../engines/index.ts';
import type { EngineId } from '../model/results.ts';
import { startProxy, type VirtualOriginProxy } from '../servers/proxy.ts';

export interface GradeSession {
  proxy: VirtualOriginProxy;
  engines: Engine[];
  close(): Promise<void>;
}

export async function openGradeSession(engineIds: EngineId[], browsers: BrowserChoice): Promise<GradeSession> {
  const proxy = await startProxy([]);
  const engines: Engine[] = [];
  try {
    for (const id of engineIds) engines.push(await launchEngine(id, { proxy: { url: proxy.url, host: '127.0.0.1', port: proxy.port }, browsers }));
  } catch (err) {
    for (const e of engines) await e.close();
    await proxy.close();
    throw err;
  }
  return {
    proxy,
    engines,
    close: async () => {
      for (const e of engines) await e.close();
      await proxy.close();
    },
  };
}
