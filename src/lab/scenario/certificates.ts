import 'reflect-metadata';
import { createHash, createPublicKey, type KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateEntry } from '../host-state.js';
import { getLabKey } from './key-cache.js';
import { fromNow } from './lab-time.js';

/**
 * Real X.509 certificates for lab hosts, made from the attributes a scenario gives (subject, DNS
 * names, validity, self-signed or issued by the lab CA). @peculiar/x509 is used because it sets any
 * validity period (expired and not-yet-valid ones too) and any extension in-process, with no
 * openssl child process and no config files.
 */

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** Subject of the lab's root CA (it signs the certificates scenarios mark `selfSigned: false`). */
export const LAB_CA_SUBJECT = 'CN=PSRemedy Lab Root CA, O=PSRemedy Lab';

/** The attributes a scenario may give for a certificate; everything else is computed. */
export type CertificateAttributes = Pick<
  CertificateEntry,
  'subject' | 'notBefore' | 'notAfter' | 'hasPrivateKey'
> &
  Partial<
    Pick<
      CertificateEntry,
      'dnsNames' | 'selfSigned' | 'enhancedKeyUsages' | 'keyReadableByNetworkService' | 'friendlyName'
    >
  >;

/** Makes the certificate and key for `attributes`, returning a complete store entry with its real thumbprint. */
export async function materializeCertificate(
  attributes: CertificateAttributes,
  keyLabel: string,
): Promise<CertificateEntry> {
  const key = await getLabKey(keyLabel);
  const selfSigned = attributes.selfSigned !== false;
  const ca = selfSigned ? undefined : await labCa();
  const keys = await toCryptoKeys(key);
  const serialNumber = serialFor(keyLabel, attributes);
  const eku = attributes.enhancedKeyUsages ?? [SERVER_AUTH];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(eku),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (attributes.dnsNames?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(attributes.dnsNames.map((value) => ({ type: 'dns', value }))),
    );
  }
  const common = {
    serialNumber,
    notBefore: new Date(attributes.notBefore),
    notAfter: new Date(attributes.notAfter),
    signingAlgorithm: ALGORITHM,
    extensions,
  };
  const cert = ca
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: attributes.subject,
        issuer: ca.cert.subject,
        publicKey: keys.publicKey,
        signingKey: ca.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: attributes.subject, keys });
  const certPem = cert.toString('pem');
  const entry: CertificateEntry = {
    ...attributes,
    thumbprint: thumbprintOf(certPem),
    issuer: ca ? LAB_CA_SUBJECT : attributes.subject,
    serialNumber: serialNumber.toUpperCase(),
    enhancedKeyUsages: eku,
    selfSigned,
    keyReadableByNetworkService: attributes.keyReadableByNetworkService ?? true,
    notBefore: cert.notBefore.toISOString().replace('.000Z', 'Z'),
    notAfter: cert.notAfter.toISOString().replace('.000Z', 'Z'),
    certPem,
  };
  if (attributes.hasPrivateKey) entry.keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return entry;
}

/** Upper-case hex SHA-1 of the DER certificate: the thumbprint Windows shows. */
export function thumbprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint.replaceAll(':', '').toUpperCase();
}

let caPromise:
  | Promise<{ cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair; pem: string }>
  | undefined;

/** The lab root CA (valid from ten years ago to twenty years on, cached key), for certificates issued rather than self-signed. */
export function labCa(): Promise<{ cert: x509.X509Certificate; keys: webcrypto.CryptoKeyPair; pem: string }> {
  caPromise ??= (async () => {
    const keys = await toCryptoKeys(await getLabKey('lab-root-ca'));
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: LAB_CA_SUBJECT,
      notBefore: new Date(fromNow('clock-3650d')),
      notAfter: new Date(fromNow('clock+7300d')),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return { cert, keys, pem: cert.toString('pem') };
  })();
  return caPromise;
}

async function toCryptoKeys(key: KeyObject): Promise<webcrypto.CryptoKeyPair> {
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey(
    'pkcs8',
    key.export({ type: 'pkcs8', format: 'der' }),
    ALGORITHM,
    true,
    ['sign'],
  );
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const publicKey = await subtle.importKey('spki', spki, ALGORITHM, true, ['verify']);
  return { privateKey, publicKey } as webcrypto.CryptoKeyPair;
}

/** A positive serial derived from the label and attributes, so the same inputs give the same certificate. */
function serialFor(label: string, attributes: CertificateAttributes): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([label, attributes]))
    .digest('hex')
    .slice(0, 32);
  return `${(Number.parseInt(digest.slice(0, 2), 16) & 0x7f).toString(16).padStart(2, '0')}${digest.slice(2)}`;
}
