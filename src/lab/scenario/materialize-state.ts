import type { CertificateEntry, HostState } from '../host-state.js';
import { findRegistryValue } from '../host-state.js';
import { RDP_KEYS } from '../rdp/rdp-registry-keys.js';
import { materializeCertificate } from './certificates.js';
import { bindListenerCertificate, type PendingCertificate } from './state-patch.js';

/**
 * Makes every certificate of a state real: those the scenario's changes described, and any
 * without a PEM. Thumbprints are the real SHA-1 of the new certificates; a registry binding to a
 * re-made certificate follows it, and `bind: true` binds a new one.
 */
export async function materializeCertificates(
  state: HostState,
  pending: Map<CertificateEntry, PendingCertificate> = new Map(),
): Promise<void> {
  const work: Array<Promise<void>> = [];
  // A base or scenario may describe a host without certificates (`{}`): nothing to make.
  for (const [store, certs] of Object.entries(state.certificates ?? {})) {
    certs.forEach((cert, index) => {
      const plan = pending.get(cert) ?? (cert.certPem ? undefined : { store, bind: false });
      if (!plan) return;
      const label = `${state.hostName}-${store}-${cert.subject}`;
      work.push(
        materializeCertificate(cert, label).then((made) => {
          certs[index] = made;
          const bound = findRegistryValue(state, RDP_KEYS.rdpTcp, 'SSLCertificateSHA1Hash');
          const followsBinding =
            plan.replaces && String(bound?.value ?? '').toUpperCase() === plan.replaces.toUpperCase();
          if (plan.bind || followsBinding) bindListenerCertificate(state, made.thumbprint);
        }),
      );
    });
  }
  await Promise.all(work);
}
