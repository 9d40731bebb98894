// Reading a request as it arrives on the wire (the proxy, the fixture server, grading).
import { getHeader, type HeaderList } from './headers.ts';

/**
 * A CORS-preflight request is an OPTIONS request with Access-Control-Request-Method
 * (CORS-preflight fetch, step 1). An OPTIONS without it is an ordinary request that belongs
 * to the application.
 */
export function isCorsPreflightRequest(method: string, headers: HeaderList): boolean {
  return method === 'OPTIONS' && getHeader(headers, 'Access-Control-Request-Method') !== null;
}
