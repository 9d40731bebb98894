// A real API behind a session, built on purpose: it answers 401 without the session cookie
// and the user's data with it, and its CORS reflects any Origin with credentials, so any
// site can read what the signed-in user's browser gets. It keeps its own log of what it
// received, the second witness beside the proxy's. It echoes the cookie and the authorization
// it got in a debug header, as careless APIs do, so that redaction is tested where the server
// repeats them.
import cors from 'cors';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { validatePolicy, type Policy } from '../../grade/input/policy.ts';

/** The secrets: long, random-looking, and found nowhere else in the project. */
export const SESSION_COOKIE = 'sid';
export const SESSION_VALUE = 'ccSess-7f3a91d2c4e8b6051a9f';
export const BEARER_TOKEN = 'ccTok-e29b4c7d18f3a6052b7c';

export const SESSION_POLICY: Policy = validatePolicy({
  origins: ['https://app.example.com'],
  methods: ['GET'],
  requestHeaders: ['Authorization'],
  credentials: true,
  paths: ['/api/me'],
});

export interface Received {
  origin: string | null;
  method: string;
  /** The session cookie was there, with the right value. */
  session: boolean;
  authorization: string | null;
}

export interface SessionApi {
  url: string;
  received: Received[];
  stop(): Promise<void>;
}

function sessionOf(cookieHeader: string | undefined): string | null {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return null;
}

export async function sessionApi(): Promise<SessionApi> {
  const received: Received[] = [];
  const app = express();
  app.use((req, _res, next) => {
    received.push({
      origin: req.headers.origin ?? null,
      method: req.method,
      session: sessionOf(req.headers.cookie) === SESSION_VALUE,
      authorization: req.headers.authorization ?? null,
    });
    next();
  });
  app.use(cors({ origin: true, credentials: true }));
  app.get('/api/me', (req, res) => {
    const session = sessionOf(req.headers.cookie);
    res.setHeader('X-Debug-Echo', `${SESSION_COOKIE}=${session ?? 'none'}; authorization=${req.headers.authorization ?? 'none'}`);
    if (session !== SESSION_VALUE) {
      res.status(401).json({ error: 'sign in first' });
      return;
    }
    res.json({ user: 'alice', email: 'alice@example.com' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
