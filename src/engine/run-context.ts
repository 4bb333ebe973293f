/** The mutable state of one run, shared by the step runners, and the expression view of it. */
import type { Finding, StepStatus } from '../core/step-status.js';
import type { TargetUnreachable } from '../core/unreachable.js';
import type { ExpressionContext } from '../playbook/expressions.js';
import type { Decider } from './decider.js';
import type { EnginePlaybook } from './engine-playbook.js';
import type { EventSink } from './events.js';
import type { Journal } from './journal.js';
import type { AppliedRecord, IntentRecord, RankedCause, ServerRevertOutcome } from './journal-records.js';
import type { RunPolicy } from './run-policy.js';
import type { SessionProvider } from './session-provider.js';

/** How a run was asked to behave (the run flags). */
export interface RunMode {
  check: boolean;
  diff: boolean;
  yes: boolean;
  step: boolean;
  noRollback: boolean;
  /** True only when prompts may be shown (TTY on stdin and stdout, no CI). */
  interactive: boolean;
  defaultTimeoutMs: number;
}

/** A change this run made (or may have made): its intent and, once apply returned, what it did. */
export interface Change {
  intent: IntentRecord;
  applied?: AppliedRecord;
  /** Params with secrets filled in, for the undo. */
  params: Record<string, unknown>;
  /** Set once an undo has finished for it. */
  undone?: 'rolledBack' | 'revertUnverified' | 'rollbackFailed';
  /** The latest state of its server-side revert, when the target holds one (from the journal). */
  serverRevert?: ServerRevertOutcome;
}

/** What a finished step left for expressions and the summary. */
export interface StepRecordInRun {
  status: StepStatus;
  result: unknown;
  findings?: Finding[];
  reason?: string;
}

/** The state of one run. */
export class RunContext {
  readonly steps = new Map<string, StepRecordInRun>();
  readonly findingsByStep = new Map<string, Finding[]>();
  readonly changes: Change[] = [];
  ranked: RankedCause[] = [];
  /** The ranking right after the diagnose phase (re-checks update `ranked`, not this). */
  diagnosed: RankedCause[] = [];
  /** --step answered "continue": stop asking. */
  stopAskingSteps = false;
  /** Where steps run that could not be reached, and why (set once per location). */
  readonly unreachable = new Map<'client' | 'target', TargetUnreachable>();
  /** Some diagnose step was selected: causes whose evidence is missing are unknown, not ruled out. */
  diagnosing = false;
  /** `on: target` steps run on another machine (not this one): it can keep a revert task itself. */
  remoteTarget = false;

  constructor(
    readonly runId: string,
    readonly playbook: EnginePlaybook,
    readonly params: Record<string, unknown>,
    readonly mode: RunMode,
    readonly sessions: SessionProvider,
    readonly journal: Journal,
    readonly emit: EventSink,
    readonly decider: Decider,
    readonly signal: AbortSignal,
    readonly policy?: RunPolicy,
  ) {}

  /** What `${{ }}` and `when:` can read now. */
  expressionContext(): ExpressionContext {
    const steps: ExpressionContext['steps'] = {};
    // A step left out by --only/--skip/--start-at reads as skipped, as one skipped at a prompt does.
    for (const s of this.playbook.doc.steps) steps[s.id] = { status: 'skipped', result: null, findings: [] };
    for (const [id, s] of this.steps)
      steps[id] = { status: s.status, result: s.result, findings: s.findings ?? [] };
    const causes: ExpressionContext['causes'] = {};
    for (const c of this.playbook.doc.causes) causes[c.id] = { detected: false, confidence: 0 };
    for (const r of this.ranked) causes[r.cause] = { detected: r.detected, confidence: r.confidence };
    return { params: this.params, steps, causes };
  }

  /** Names of params marked secret. */
  secretParams(): string[] {
    return Object.entries(this.playbook.doc.params)
      .filter(([, p]) => p.secret)
      .map(([name]) => name);
  }
}
