/** The decider of `psremedy test`: runs are `--yes` and non-interactive, so the engine never asks. */
import type { Decider } from '../engine/decider.js';

const refuse = () => Promise.reject(new Error('psremedy test never prompts'));

/** Rejects every question; the engine reads a rejected prompt as "stop". */
export const neverAskDecider: Decider = {
  decideFix: refuse,
  decideKeep: refuse,
  decideStep: refuse,
};
