import type { JournalRecord, ServerRevertRecord } from '../engine/journal-records.js';
import { countOf } from './words.js';

/** One line a person reads for each journal record, for the report's timeline. */
export function describeRecord(r: JournalRecord): string {
  switch (r.type) {
    case 'run-start':
      return `run ${r.runId} of ${r.playbook.name} started by ${r.userName}@${r.hostName}`;
    case 'approval':
      return `approval checked: ${String(r.details.result ?? r.details.status ?? 'verified')}`;
    case 'run-resume':
      return `resumed by process ${r.pid}; ${countOf(r.finished.length, 'step')} already finished`;
    case 'step-start':
      return `${r.phase === 'recheck' ? 're-check' : r.kind} ${r.stepId}: ${r.title}`;
    case 'test':
      return `${r.stepId}: test says ${compliance(r.compliant)}`;
    case 'decision':
      return `${r.stepId}: ${r.decision} (by ${r.by})`;
    case 'intent':
      return `${r.stepId}: about to apply (risk ${r.risk})`;
    case 'applied':
      return `${r.stepId}: applied${r.changed ? '' : ', nothing changed'} in ${r.durationMs} ms`;
    case 'apply-failed':
      return `${r.stepId}: apply ${r.status}${r.error ? `: ${r.error.message}` : ''}`;
    case 'verify':
      return `${r.stepId}: verify says ${compliance(r.compliant)}`;
    case 'step-end':
      return `${r.stepId}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
    case 'target-unreachable':
      return `${r.target} could not be reached (${r.reason}) after ${r.waitedMs} ms: ${r.detail}`;
    case 'causes': {
      const detected = r.ranked.filter((c) => c.detected);
      const unknown = r.ranked.filter((c) => c.unknownBecause).length;
      if (detected.length === 0 && unknown > 0)
        return `no cause detected; ${unknown} unknown (steps not run)`;
      return detected.length === 0
        ? 'no cause detected'
        : `causes: ${detected.map((c) => `${c.cause} ${Math.round(c.confidence * 100)}%`).join(', ')}`;
    }
    case 'rollback-start':
      return `rollback (${r.by}) of ${r.steps.join(', ') || 'nothing'}: ${r.reason}`;
    case 'undo-start':
      return `${r.stepId}: undoing`;
    case 'undo-end':
      return `${r.stepId}: ${r.status}${r.note ? ` (${r.note})` : ''}`;
    case 'server-revert':
      return describeServerRevert(r);
    case 'rollback-end':
      return `rollback ended: ${r.status}`;
    case 'run-end':
      return `run ended: ${r.outcome}`;
    case 'run-forgotten':
      return `forgotten by ${r.userName} (psremedy runs --forget)${r.pendingChanges.length ? `; may still be in place: ${r.pendingChanges.join(', ')}` : ''}`;
  }
}

const SERVER_REVERT_WORDS: Record<ServerRevertRecord['outcome'], string> = {
  armed: 'revert task armed on the server',
  confirmed: 'confirmed: the revert task and its folder were removed',
  autoReverted: 'auto-reverted: the server undid the change itself, verified against the before-state',
  revertUnverified: 'REVERT UNVERIFIED on the server',
};

function describeServerRevert(r: ServerRevertRecord): string {
  const deadline = r.outcome === 'armed' && r.deadline ? ` (reverts at ${r.deadline} unless confirmed)` : '';
  return `${r.stepId}: ${SERVER_REVERT_WORDS[r.outcome]}${deadline}${r.note ? ` (${r.note})` : ''}`;
}

function compliance(compliant: boolean | null): string {
  return compliant === null ? 'unknown' : compliant ? 'compliant' : 'not compliant';
}
