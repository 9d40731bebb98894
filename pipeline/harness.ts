// The servers one run needs: the fixture server and the virtual-origin proxy in front of it.
import { ALL_ORIGINS } from '../model/origins.ts';
import { startFixtureServer, type FixtureServer } from '../servers/fixture.ts';
import { startProxy, type ProxyRoute, type VirtualOriginProxy } from '../servers/proxy.ts';
import type { ProxySettings } from '../engines/types.ts';

export interface Harness {
  fixture: FixtureServer;
  proxy: VirtualOriginProxy;
  proxySettings: ProxySettings;
  /** The proxy's routes to the fixture server (a grading in the same engine adds its own). */
  routes: readonly ProxyRoute[];
  close(): Promise<void>;
}

export async function startHarness(extraRoutes: ProxyRoute[] = [], origins: string[] = ALL_ORIGINS): Promise<Harness> {
  const fixture = await startFixtureServer();
  const routes: ProxyRoute[] = [...origins.map((origin) => ({ origin, upstream: fixture.app, probePage: true })), ...extraRoutes];
  const proxy = await startProxy(routes);
  return {
    fixture,
    proxy,
    proxySettings: { url: proxy.url, host: '127.0.0.1', port: proxy.port },
    routes,
    close: async () => {
      await proxy.close();
      await fixture.close();
    },
  };
}
