// The proxy's TLS certificate: made at start-up for exactly the virtual https names,
// kept in a temporary folder of this run and never installed anywhere. Browsers are
// launched to accept it (ignoreHTTPSErrors / acceptInsecureCerts) instead.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
  /** Temporary folder holding cert.pem and key.pem (for `curl --cacert`). */
  dir: string;
  names: string[];
  dispose(): void;
}

export async function makeCertificate(names: string[]): Promise<Certificate> {
  const dnsNames = names.length ? names : ['localhost'];
  const pems = await generate([{ name: 'commonName', value: dnsNames[0] }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2 as const, value })) },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'cors-conformance-cert-'));
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  return {
    key: pems.private,
    cert: pems.cert,
    dir,
    names: dnsNames,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
