/** The playbook model: load and check a playbook, resolve its params, evaluate its expressions. */
export { parseDuration } from './duration.js';
export {
  type ExpressionContext,
  ExpressionError,
  evaluateCondition,
  evaluateTemplate,
} from './expressions.js';
export { buildPlaybookJsonSchema, formatPlaybookJsonSchema } from './json-schema.js';
export { type LoadedPlaybook, type LoadOptions, loadPlaybook } from './load-playbook.js';
export { buildPlan, type PlannedStep, SECRET_MASK } from './plan.js';
export { type ParamValue, parseParamAssignments, resolveParams } from './resolve-params.js';
export type {
  CauseDoc,
  DiagnoseStepDoc,
  FixStepDoc,
  ParamDoc,
  PlaybookDoc,
  Risk,
  StepDoc,
} from './schema.js';
export type { ScriptFile, ScriptRole } from './script-files.js';
export { listScriptModules, type ScriptModule } from './script-modules.js';
