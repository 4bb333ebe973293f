/** What the engine needs of a loaded playbook (scripts are read once at load and run from `scripts`). */
import type { LoadedPlaybook } from '../playbook/load-playbook.js';

/** A validated playbook with its scripts' text. */
export type EnginePlaybook = Pick<
  LoadedPlaybook,
  'file' | 'dir' | 'source' | 'sha256' | 'doc' | 'scripts' | 'scriptPath'
>;

/** Which script of a step. */
export type { ScriptRole } from '../playbook/script-files.js';
