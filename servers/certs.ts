// The proxy's TLS certificates: made at run time for exactly the virtual https names,
// kept in memory and in a temporary folder of the run, never installed anywhere. Browsers
// are launched to accept them (ignoreHTTPSErrors / acceptInsecureCerts) instead.
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
  names: string[];
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
      {
        name: 'subjectAltName',
        altNames: dnsNames.map((value) => (isIP(value) ? { type: 7 as const, ip: value } : { type: 2 as const, value })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, names: dnsNames };
}
