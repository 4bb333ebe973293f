import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApprovalError } from '../core/errors.js';
import {
  evaluateTemplate,
  type LoadedPlaybook,
  listScriptModules,
  loadPlaybook,
  type ParamValue,
  resolveParams,
} from '../playbook/index.js';
import { type Approval, parseApproval } from './approval-format.js';
import {
  type BundleDifference,
  collectBundle,
  diffBundles,
  digestFiles,
  sha256Hex,
  toBundlePath,
} from './bundle.js';
import { findFileLoads, formatFileLoads } from './file-loads.js';
import { readTrustedKeys } from './keys.js';
import { listFixSteps, listScriptPaths } from './playbook-scripts.js';
import { checkApprovedSteps, checkParamValues, checkTargets, fillFixedParams } from './policy.js';
import { readBoundedFile } from './read-bounded-file.js';
import { isSignatureValid } from './signature.js';
import { checkValidity } from './validity.js';

/** What to check: the playbook, its approval, whom to trust, and what the run will use. */
export interface VerifyOptions {
  playbookFile: string;
  approvalFile: string;
  /** A `.pub` file, or a folder whose `*.pub` files are trusted. */
  trust: string;
  /** Hosts the run's `on: target` steps will reach (default: the playbook's `target.host`, evaluated). */
  targets?: string[];
  /** Params as given with --param (text, before defaults). */
  params?: Record<string, string>;
  /** A params file the run reads (YAML or JSON), as `--params-file`. */
  paramsFile?: string;
  now?: Date;
}

/** Who approved what, and how it was checked: what the journal and report record. */
export interface ApprovalIdentity {
  approver: string;
  keyFingerprint: string;
  trustedKeyFile: string;
  approvalFile: string;
  approvalSha256: string;
  bundleDigest: string;
  created: string;
  expires: string;
  note?: string;
  fixSteps: string[];
  maxRisk: Approval['policy']['maxRisk'];
  targets: string[];
  verifiedAt: string;
}

/** A verified approval: the approved bytes (read once) are the only copy a run may use. */
export interface VerifiedApproval {
  ok: true;
  approval: Approval;
  /** Every covered file's bytes by absolute path, read once and checked. */
  bundle: Map<string, Buffer>;
  identity: ApprovalIdentity;
  /** The playbook as loaded; its scripts' text is checked to be the approved bytes. */
  playbook: LoadedPlaybook;
  /** The params the run uses, resolved and typed: given, fixed by the approval, or defaults. */
  params: Record<string, ParamValue>;
}

/** Approval files larger than this are refused (one lists a playbook's files: a few KiB). */
export const MAX_APPROVAL_BYTES = 1024 * 1024;

// A covered file that is now a pipe, a device or huge is not the approved file.
const MAX_BUNDLE_FILE_BYTES = 64 * 1024 * 1024;

function readApprovalBytes(file: string): Buffer {
  try {
    return readBoundedFile(file, MAX_APPROVAL_BYTES);
  } catch (error) {
    throw new ApprovalError(
      `cannot read the approval ${file}: ${(error as Error).message}`,
      'malformed-approval',
      {
        file,
        field: '',
      },
    );
  }
}

/** Finds the trusted key the approval names and checks the signature with it; returns the key file. */
function checkSignature(approval: Approval, approvalFile: string, trust: string): string {
  const keys = readTrustedKeys(trust);
  const key = keys.find((k) => k.fingerprint === approval.approver.keyFingerprint);
  if (!key)
    throw new ApprovalError(
      `${approvalFile} is signed by ${approval.approver.name} (${approval.approver.keyFingerprint}), which is not a trusted key at ${resolve(trust)} (trusted: ${keys.map((k) => k.fingerprint).join(', ')})`,
      'untrusted-key',
      { keyFingerprint: approval.approver.keyFingerprint, trusted: keys.map((k) => k.fingerprint) },
    );
  if (!isSignatureValid(approval, key.key))
    throw new ApprovalError(
      `the signature of ${approvalFile} does not verify with ${key.file} (${key.fingerprint}): the approval was changed after it was signed`,
      'signature-invalid',
      { keyFingerprint: key.fingerprint },
    );
  if (digestFiles(approval.bundle.files) !== approval.bundle.digest)
    throw new ApprovalError(
      `${approvalFile}: bundle.digest does not match bundle.files`,
      'malformed-approval',
      {
        field: 'bundle.digest',
      },
    );
  return key.file;
}

function refuseDifference(diff: BundleDifference, when = ''): void {
  const parts = [
    ...diff.changed.map((p) => `${p} changed`),
    ...diff.missing.map((p) => `${p} is missing`),
    ...diff.added.map((p) => `${p} was added (the playbook can reach it; the approval does not cover it)`),
  ];
  if (parts.length === 0) return;
  throw new ApprovalError(
    `the playbook's files are not what was approved${when}: ${parts.join('; ')}; ask the approver to review and approve again`,
    'digest-mismatch',
    { ...diff },
  );
}

/** Reads every approved file once and names those that changed or are gone. */
function readApprovedFiles(approval: Approval, playbookDir: string): Map<string, Buffer> {
  const read = new Map<string, Buffer>();
  const diff: BundleDifference = { changed: [], added: [], missing: [] };
  for (const file of approval.bundle.files) {
    const absolute = resolve(playbookDir, file.path);
    let bytes: Buffer;
    try {
      bytes = readBoundedFile(absolute, MAX_BUNDLE_FILE_BYTES);
    } catch {
      diff.missing.push(file.path);
      continue;
    }
    read.set(absolute, bytes);
    if (sha256Hex(bytes) !== file.sha256) diff.changed.push(file.path);
  }
  refuseDifference(diff);
  return read;
}

/** The loader read the files again: its hashes must be the ones just verified. */
function checkLoadedMatches(
  playbook: LoadedPlaybook,
  bundle: Map<string, Buffer>,
  playbookDir: string,
): void {
  const changed = [
    [playbook.file, playbook.sha256] as const,
    ...[...playbook.scripts, ...listScriptModules(playbook.scripts.values())].map(
      ([f, s]) => [f, s.sha256] as const,
    ),
  ]
    .filter(([file, sha256]) => {
      const bytes = bundle.get(file);
      return !bytes || sha256Hex(bytes) !== sha256;
    })
    .map(([file]) => toBundlePath(playbookDir, file));
  refuseDifference({ changed, added: [], missing: [] }, ' (changed while being verified)');
}

/** The names a params file sets (resolveParams reads and checks the values themselves). */
function readParamsFileNames(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    const data: unknown = parseYaml(readFileSync(file, 'utf8'));
    return data !== null && typeof data === 'object' ? Object.keys(data) : [];
  } catch {
    return [];
  }
}

/**
 * The host the playbook's `on: target` steps reach: its `target.host` evaluated with the params,
 * or `local` (this machine) when there is none, as `psremedy run` resolves it.
 */
function targetsOf(playbook: LoadedPlaybook, params: Record<string, ParamValue>): string[] {
  const { doc } = playbook;
  if (!doc.steps.some((s) => s.on === 'target')) return [];
  const host = doc.target ? String(evaluateTemplate(doc.target.host, { params, steps: {}, causes: {} })) : '';
  return [host || 'local'];
}

/**
 * Checks an approval completely, before any PowerShell starts: its form, the trusted key and
 * signature, validity dates, the bytes of the playbook and every file it can reach, the approved
 * steps against their risk, and the run's targets and params. Throws ApprovalError naming what
 * differs; on success returns the approved bytes, read once.
 */
export async function verifyApproval(options: VerifyOptions): Promise<VerifiedApproval> {
  const now = options.now ?? new Date();
  const playbookFile = resolve(options.playbookFile);
  const playbookDir = dirname(playbookFile);
  const approvalFile = resolve(options.approvalFile);
  const approvalBytes = readApprovalBytes(approvalFile);
  const approval = parseApproval(approvalBytes.toString('utf8'), approvalFile);
  const trustedKeyFile = checkSignature(approval, approvalFile, options.trust);
  checkValidity(approval, now);

  if (approval.playbook.file !== basename(playbookFile))
    throw new ApprovalError(
      `${approvalFile} approves the playbook ${approval.playbook.file}, not ${basename(playbookFile)}`,
      'digest-mismatch',
      { changed: [basename(playbookFile)], added: [], missing: [] },
    );
  const approvedBytes = readApprovedFiles(approval, playbookDir);
  const playbookBytes = approvedBytes.get(playbookFile);
  if (!playbookBytes)
    throw new ApprovalError(
      `${approvalFile}: bundle.files does not list the playbook`,
      'malformed-approval',
      {
        field: 'bundle.files',
      },
    );
  const playbook = await loadPlaybook(playbookFile);
  const collected = collectBundle(playbookFile, playbookBytes, listScriptPaths(playbook.doc), approvedBytes);
  refuseDifference(diffBundles(approval.bundle.files, collected.files));
  checkLoadedMatches(playbook, collected.bytes, playbookDir);
  const loads = await findFileLoads(playbook.scripts);
  if (loads.length > 0)
    throw new ApprovalError(
      `the approved scripts load code from files, which the run would not take from the approved bytes: ${formatFileLoads(
        loads,
        (f) => toBundlePath(playbookDir, f),
      )
        .split('\n')
        .join(
          '; ',
        )}; put the helpers' code into the scripts or into shared modules (ps-scripts/lib/README.md) and approve again`,
      'loads-unapproved-code',
      { loads: loads.map((l) => ({ ...l, file: toBundlePath(playbookDir, l.file) })) },
    );

  checkApprovedSteps(approval, listFixSteps(playbook.doc));
  const declared = playbook.doc.params;
  const raw = options.params ?? {};
  const given = new Set([...Object.keys(raw), ...readParamsFileNames(options.paramsFile)]);
  const params = await resolveParams(playbook, fillFixedParams(approval, raw, given), options.paramsFile);
  checkParamValues(approval, params, declared);
  const targets = options.targets ?? targetsOf(playbook, params);
  checkTargets(approval, targets);

  return {
    ok: true,
    approval,
    bundle: collected.bytes,
    playbook,
    params,
    identity: {
      approver: approval.approver.name,
      keyFingerprint: approval.approver.keyFingerprint,
      trustedKeyFile,
      approvalFile,
      approvalSha256: createHash('sha256').update(approvalBytes).digest('hex'),
      bundleDigest: approval.bundle.digest,
      created: approval.created,
      expires: approval.expires,
      note: approval.note,
      fixSteps: approval.policy.fixSteps,
      maxRisk: approval.policy.maxRisk,
      targets,
      verifiedAt: now.toISOString(),
    },
  };
}
