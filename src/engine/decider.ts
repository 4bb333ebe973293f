/**
 * The questions the engine asks a person. src/ui answers them with prompts; tests answer them
 * with a script. The engine only asks when the run is interactive and neither --yes nor a policy
 * decides.
 */
import type { FixStepDoc, StepDoc } from '../playbook/schema.js';
import type { RankedCause } from './journal-records.js';

/** Everything shown before a fix: why (causes and evidence), what is there now, what will change. */
export interface FixPreview {
  /** The step; its `confirm:` text with the expressions filled in. */
  step: FixStepDoc;
  /** The detected causes this step remedies, strongest first. */
  causes: RankedCause[];
  /** The test's state now. */
  state: unknown;
  /** The test script's own words for that state (may be empty). */
  summary: string[];
  /** Lines the apply script printed under -WhatIf (empty when it printed none). */
  whatIf: string[];
  /** The object the apply script returned under -WhatIf, if any. */
  whatIfResult?: unknown;
  /** The -WhatIf run itself failed (shown, not fatal). */
  whatIfError?: string;
  /** No preview could be made safely (the apply script lacks SupportsShouldProcess); it was not run. */
  noPreview?: string;
}

/** What a person can answer for a fix. */
export type FixDecision = 'apply' | 'skip' | 'abort';

/** What a person can answer under --step (Ansible's y / n / c, plus abort). */
export type StepDecision = 'run' | 'skip' | 'continue' | 'abort';

/** A change made under `revertUnlessConfirmed`, waiting for "keep this change?". */
export interface KeepQuestion {
  step: FixStepDoc;
  before: unknown;
  after: unknown;
  timeoutMs: number;
  /** The target answered again after the change and holds its own revert task (it reverts itself). */
  onServer?: boolean;
}

/** Answers the engine's questions. */
export interface Decider {
  decideFix(preview: FixPreview, signal: AbortSignal): Promise<FixDecision>;
  /** Resolves true to keep; false or a timeout (the caller's) undoes the change. */
  decideKeep(question: KeepQuestion, signal: AbortSignal): Promise<boolean>;
  decideStep(step: StepDoc, signal: AbortSignal): Promise<StepDecision>;
}
