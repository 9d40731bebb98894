// The proxy's TLS certificates: made at run time for exactly the virtual https names,
// kept in memory and in a temporary folder of the run, never installed anywhere. Browsers
// are launched to accept them (ignoreHTTPSErrors / acceptInsecureCerts) instead.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
  names: string[];
}

/** An EC P-256 key, SHA-256 signatures, valid for a week: every certificate made here. */
function keyOptions() {
  return { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' as const, notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000) };
}

/** A certificate authority that signs certificates (a private CA, in tests of --ca). */
export async function makeCertificateAuthority(name: string): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    ...keyOptions(),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** A server certificate for `names`, self-signed or signed by `ca`. */
export async function makeCertificate(names: string[], ca?: { key: string; cert: string }): Promise<Certificate> {
  const dnsNames = names.length ? names : ['localhost'];
  const pems = await generate([{ name: 'commonName', value: dnsNames[0] }], {
    ...keyOptions(),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: dnsNames.map((value) => (isIP(value) ? { type: 7 as const, ip: value } : { type: 2 as const, value })),
      },
    ],
    ...(ca ? { ca } : {}),
  });
  return { key: pems.private, cert: pems.cert, names: dnsNames };
}

/**
 * The proxy's TLS contexts by server name (SNI): one certificate per batch of new names,
 * each also written to a temporary folder (cert-N.pem, for `curl --cacert`). Names without
 * SNI (IP literals) get the first certificate: the engines accept these certificates anyway.
 */
/** Folders of stores not removed yet: removed on exit too, however the process ends its work. */
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
});

export class CertificateStore {
  readonly dir = mkdtempSync(join(tmpdir(), 'cors-conformance-cert-'));
  constructor() {
    liveDirs.add(this.dir);
  }
  private readonly contexts = new Map<string, SecureContext>();
  private fallback: SecureContext | null = null;
  private count = 0;

  /** Makes a certificate for the names that have none yet. */
  async cover(names: string[]): Promise<void> {
    const fresh = [...new Set(names)].filter((n) => !this.contexts.has(n));
    if (!fresh.length && this.fallback) return;
    const cert = await makeCertificate(fresh.length ? fresh : ['localhost']);
    this.count++;
    writeFileSync(join(this.dir, `cert-${this.count}.pem`), cert.cert);
    const ctx = createSecureContext({ key: cert.key, cert: cert.cert });
    for (const n of fresh) this.contexts.set(n, ctx);
    this.fallback ??= ctx;
  }

  names(): string[] {
    return [...this.contexts.keys()];
  }

  contextFor(servername: string): SecureContext | undefined {
    return this.contexts.get(servername) ?? this.fallback ?? undefined;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }
}
