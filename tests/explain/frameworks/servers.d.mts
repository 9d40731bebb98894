// The types of servers.mjs, for the TypeScript test that uses it.
export type NodeFramework = 'express' | 'fastify' | 'hono' | 'koa';
export const before: Record<NodeFramework, () => unknown>;
export function moduleAround(framework: NodeFramework, snippet: string): string;
export function serve(framework: NodeFramework, app: unknown): Promise<{ url: string; stop(): Promise<void> }>;
