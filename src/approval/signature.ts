import { type KeyObject, sign, verify } from 'node:crypto';
import type { Approval, UnsignedApproval } from './approval-format.js';
import { canonicalize } from './canonical-json.js';

/** The exact bytes an approval's signature covers: UTF-8 canonical JSON of every field but `signature`. */
export function signedBytes(approval: UnsignedApproval | Approval): Buffer {
  const { signature: _signature, ...rest } = approval as Approval;
  return Buffer.from(canonicalize(rest), 'utf8');
}

/** Signs an approval with an Ed25519 private key. */
export function signApproval(unsigned: UnsignedApproval, privateKey: KeyObject): Approval {
  const value = sign(null, signedBytes(unsigned), privateKey).toString('base64');
  return { ...unsigned, signature: { algorithm: 'ed25519', value } };
}

/** True when the approval's signature verifies under the given public key. */
export function isSignatureValid(approval: Approval, publicKey: KeyObject): boolean {
  return verify(null, signedBytes(approval), publicKey, Buffer.from(approval.signature.value, 'base64'));
}
