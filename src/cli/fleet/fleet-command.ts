/**
 * `psremedy run` on several targets (`--target a,b`, or several `--lab` entries): flags -> members,
 * shared params, sessions, the fleet's questions and reporter -> runFleet. One target never comes
 * here: it runs as it always has (src/ui/run-command.ts).
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { VERSION } from '../../core/version.js';
import { maskText, secretsOfRun } from '../../engine/mask-secrets.js';
import { refuseWithoutConsent } from '../../engine/run-playbook.js';
import { resolveStateDir } from '../../engine/run-store.js';
import { selectSteps } from '../../engine/select-steps.js';
import { createFleetDecider } from '../../fleet/fleet-decider.js';
import { type FleetMember, type FleetResult, type PreparedHost, runFleet } from '../../fleet/run-fleet.js';
import type { LabEntry } from '../../lab/lab-fleet.js';
import { loadPlaybook } from '../../playbook/load-playbook.js';
import { parseParamAssignments } from '../../playbook/resolve-params.js';
import { findPowerShell } from '../../powershell/find-powershell.js';
import type { SessionOptions } from '../../powershell/session-options.js';
import { createColors } from '../../ui/colors.js';
import { handleInterrupts } from '../commands/run/interrupt.js';
import { parseTimeout, type RunFlags } from '../commands/run/run-command.js';
import { resolveTarget, withCredential } from '../commands/run/run-targets.js';
import { isInteractive } from '../commands/run/run-ui.js';
import { checkResolvedTarget } from '../commands/run/unattended-flags.js';
import {
  createFleetPromptAsker,
  createInquirerFleetPrompts,
  type FleetPromptAdapter,
} from './fleet-prompts.js';
import { createFleetNdjsonReporter, createFleetTextReporter } from './fleet-reporter.js';
import { readInventoryTargets } from './inventory-members.js';

/** The flags of a fleet run: those of `psremedy run`, with target and lab lists. */
export interface FleetFlags extends Omit<RunFlags, 'target' | 'lab'> {
  targets: string[];
  labEntries: LabEntry[];
  /** An inventory file whose hosts (narrowed by `limit`) are the targets. */
  inventory?: string;
  limit?: string;
  forks?: string;
}

/** Runs a playbook on every target of the flags and returns the fleet's result. */
export async function fleetCommand(
  file: string,
  flags: FleetFlags,
  io: { err(text: string): void },
  extras: { prompts?: FleetPromptAdapter; write?: (line: string) => void } = {},
): Promise<FleetResult> {
  if (flags.output !== 'text' && flags.output !== 'ndjson')
    throw new UsageError(`--output ${flags.output} is not one of: text, ndjson`);
  if (flags.step)
    throw new UsageError('--step asks before every step of every host; run one host at a time with --step');
  if (flags.targets.length > 0 && flags.labEntries.length > 0)
    throw new UsageError('--lab and --target both name targets; use one');
  if (flags.inventory && (flags.targets.length > 0 || flags.labEntries.length > 0))
    throw new UsageError(
      '--inventory and --target/--lab both name targets; use one (narrow an inventory with --limit)',
    );
  if (flags.limit !== undefined && !flags.inventory)
    throw new UsageError('--limit narrows an inventory: give --inventory <file>');
  if (!flags.unattended && (flags.approval || flags.trust))
    throw new UsageError('--approval and --trust need --unattended');
  if (flags.unattended && (!flags.approval || !flags.trust))
    throw new UsageError('--unattended needs --approval <file> and --trust <key.pub|folder>');
  if (flags.verbose) process.env.PSREMEDY_VERBOSE = '1';
  const forks = flags.forks === undefined ? undefined : Number(flags.forks);
  if (forks !== undefined && (!/^\d+$/.test(flags.forks as string) || forks < 1))
    throw new UsageError(`--forks ${flags.forks} is not a whole number of at least 1`);
  const playbook = await loadPlaybook(file);
  for (const w of playbook.warnings) io.err(`${w.file}:${w.line}:${w.col}: warning: ${w.message}`);
  const stateDir = resolveStateDir(flags.stateDir);
  const interactive = flags.unattended ? false : isInteractive();
  const mode = {
    interactive,
    check: flags.check === true,
    diff: flags.diff === true,
    yes: flags.yes === true,
    step: false,
    noRollback: flags.rollback === false,
    ...(flags.timeout ? { defaultTimeoutMs: parseTimeout(flags.timeout, '--timeout') } : {}),
  };
  const selection = {
    ...(flags.only?.length ? { only: flags.only } : {}),
    ...(flags.skip?.length ? { skip: flags.skip } : {}),
    ...(flags.startAt ? { startAt: flags.startAt } : {}),
  };
  refuseWithoutConsent(playbook, mode, selectSteps(playbook.doc, selection), flags.unattended === true);
  await findPowerShell();
  const params = parseParamAssignments(flags.param);
  const write = extras.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const colors = createColors(flags.output === 'ndjson' ? process.stderr : process.stdout);
  const reporter =
    flags.output === 'ndjson' ? createFleetNdjsonReporter(write) : createFleetTextReporter(write, colors);
  const controller = new AbortController();
  const interrupts = handleInterrupts(controller, io.err, (count) =>
    count === 1
      ? 'interrupted: starting no new host; the running ones stop and roll back; press Ctrl+C again to quit at once'
      : 'quitting without finishing; each host journal keeps what to undo (psremedy runs, psremedy rollback <runId>)',
  );
  const fromInventory = flags.inventory
    ? await readInventoryTargets(flags.inventory, flags.limit, playbook, io)
    : undefined;
  const labEntries = fromInventory?.kind === 'lab' ? fromInventory.entries : flags.labEntries;
  const lab = labEntries.length > 0 ? await startFleetLab(labEntries, stateDir, io) : undefined;
  if (lab) interrupts.onHangup(() => lab.stop());
  try {
    const members: FleetMember[] = lab
      ? lab.hosts.map((h, i) => ({
          name: h.name,
          target: h.target,
          labRecord: { scenario: h.scenario, statePaths: [h.statePath] },
          ...(fromInventory?.kind === 'lab' && fromInventory.hosts[i]
            ? { params: fromInventory.hosts[i].params }
            : {}),
        }))
      : fromInventory?.kind === 'real'
        ? fromInventory.hosts.map((h) => ({
            name: h.name,
            target: withCredential(h.target),
            params: h.params,
          }))
        : flags.targets.map((t) => ({
            name: t,
            target: withCredential(resolveTarget({ ...flags, target: t }, playbook, {})),
          }));
    const secrets = secretsOfRun(
      playbook.doc.params,
      params,
      members.map((m) => m.target),
    );
    const sessionOptions: SessionOptions = {
      ...(lab?.localSessionOptions ?? {}),
      ...(flags.connectTimeout
        ? { connectTimeoutMs: parseTimeout(flags.connectTimeout, '--connect-timeout') }
        : {}),
      ...(flags.verbose
        ? {
            onDiagnostics: (text: string, where: string) =>
              io.err(`[${where}] ${maskText(text, secrets).trimEnd()}`),
          }
        : {}),
    };
    const asks = interactive && !mode.yes && !mode.check;
    const decider = asks
      ? createFleetDecider(
          createFleetPromptAsker(
            extras.prompts ?? (await createInquirerFleetPrompts()),
            colors,
            interrupts.interrupt,
          ),
          playbook.doc.steps.map((s) => s.id),
          controller.signal,
        )
      : undefined;
    const result = await runFleet({
      playbook,
      members,
      params,
      ...(flags.paramsFile ? { paramsFile: flags.paramsFile } : {}),
      stateDir,
      ...(forks === undefined ? {} : { forks }),
      sessionOptions,
      mode,
      selection,
      ...(decider ? { decider } : {}),
      onEvent: reporter.onEvent,
      onHostEnd: reporter.onHostEnd,
      signal: controller.signal,
      ...(flags.unattended
        ? {
            prepareHost: unattendedHost(
              file,
              flags,
              playbook.doc.steps.some((s) => s.on === 'target'),
            ),
          }
        : {}),
      psremedyVersion: VERSION,
    });
    reporter.onFleetEnd(result, stateDir);
    return result;
  } finally {
    interrupts.dispose();
    await lab?.stop();
  }
}

/** Unattended: each host's params and target are verified against the approval on their own. */
function unattendedHost(file: string, flags: FleetFlags, hasTargetSteps: boolean) {
  return async (member: FleetMember, raw: Record<string, string>): Promise<PreparedHost> => {
    const { prepareUnattendedRun } = await import('../../approval/unattended.js');
    const t = member.target;
    const host = t.kind === 'local' ? 'local' : t.kind === 'ssh' ? t.hostName : t.computerName;
    const run = await prepareUnattendedRun({
      playbookFile: file,
      approvalFile: flags.approval as string,
      trust: flags.trust as string,
      params: raw,
      ...(flags.paramsFile ? { paramsFile: flags.paramsFile } : {}),
      targets: [host],
    });
    checkResolvedTarget(run, t, hasTargetSteps);
    return { params: run.params, policy: run.policy };
  };
}

async function startFleetLab(entries: LabEntry[], stateDir: string, io: { err(text: string): void }) {
  const { startLabFleet } = await import('../../lab/lab-fleet.js');
  await mkdir(join(stateDir, 'labs'), { recursive: true, mode: 0o700 });
  const runDir = await mkdtemp(join(stateDir, 'labs', 'fleet-'));
  const lab = await startLabFleet(entries, runDir);
  io.err(
    `lab fleet: ${lab.hosts.map((h) => `${h.name}=${h.scenario}`).join(', ')} (state in ${runDir}/hosts)`,
  );
  return lab;
}
