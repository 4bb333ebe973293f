import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, StepEndEvent, SummaryEvent } from '../../src/engine/events.js';
import { EngineEventSchema } from '../../src/engine/events.js';
import type { JournalRecord } from '../../src/engine/journal-records.js';
import { runPlaybook } from '../../src/engine/run-playbook.js';
import { createTargetSessions } from '../../src/engine/target-sessions.js';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { loadPlaybook } from '../../src/playbook/load-playbook.js';
import { resolveParams } from '../../src/playbook/resolve-params.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { createColors } from '../../src/ui/colors.js';
import { createPlainReporter } from '../../src/ui/plain-reporter.js';
import { scriptedDecider } from './support/settings-fixture.js';

const RDP_PLAYBOOK = new URL('../../playbooks/rdp-0x904.yaml', import.meta.url).pathname;
const SERVER_DIAGNOSES = ['listener', 'firewall', 'adapters', 'certificate', 'security', 'events'];

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

/** Makes the lab host's stand-in ssh refuse, as a stopped sshd does (lab/bin/ssh). */
function refuseSsh(running: Lab): void {
  const entries = readdirSync(join(running.runDir, 'ssh')).filter((f) => !f.includes('.'));
  for (const alias of entries) writeFileSync(join(running.runDir, 'ssh', `${alias}.refused`), '');
}

/**
 * Kills the host's side of the remote session (its `-sshs` PowerShell) at once, so the connection
 * is gone before the engine starts its next step: `ps` and `kill` synchronously, from an event.
 */
function dropConnection(): void {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args=']).toString().trim().split('\n');
  const table = rows.map((row) => {
    const [pid, ppid, ...args] = row.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
  });
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table)
      if (ours.has(p.ppid) && !ours.has(p.pid)) {
        ours.add(p.pid);
        grew = true;
      }
  }
  for (const p of table) if (ours.has(p.pid) && p.args.includes('-sshs')) process.kill(p.pid, 'SIGKILL');
}

/** A finished run to continue with `resume`: same lab host, same state folder. */
interface EarlierRun {
  runId: string;
  stateDir: string;
  records: JournalRecord[];
}

/**
 * Runs the flagship against a fresh lab host of `scenario` (or, to resume, the running one);
 * `onEvent` may break the host mid-run.
 */
async function runOnLab(
  scenario: string,
  options: {
    check: boolean;
    before?: (lab: Lab) => void;
    onEvent?: (e: EngineEvent) => void;
    resume?: EarlierRun;
  },
) {
  if (!options.resume) lab = await startLab(scenario);
  if (!lab) throw new Error('no lab to resume on');
  const host = lab.hosts[0]!;
  options.before?.(lab);
  const playbook = await loadPlaybook(RDP_PLAYBOOK);
  const params = await resolveParams(playbook, { ComputerName: host.name });
  const targets = { client: { kind: 'local' as const }, target: host.target };
  const sessions = createTargetSessions(targets, { ...lab.localSessionOptions, connectTimeoutMs: 10_000 });
  const events: EngineEvent[] = [];
  const stateDir = options.resume?.stateDir ?? (await mkdtemp(join(tmpdir(), 'psremedy-unreachable-lab-')));
  const startedAt = Date.now();
  try {
    const result = await runPlaybook({
      playbook,
      params,
      sessions,
      targets,
      stateDir,
      decider: scriptedDecider({}).decider,
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
      mode: { interactive: false, yes: true, check: options.check },
      psremedyVersion: 'test',
      ...(options.resume ? { resume: { runId: options.resume.runId, records: options.resume.records } } : {}),
    });
    const records = readFileSync(result.journalPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalRecord);
    const ends = new Map(
      events.filter((e): e is StepEndEvent => e.type === 'step.end').map((e) => [e.stepId, e]),
    );
    const summary = events.find((e): e is SummaryEvent => e.type === 'summary');
    const earlier: EarlierRun = { runId: result.runId, stateDir, records };
    return { result, events, ends, summary, records, earlier, elapsedMs: Date.now() - startedAt };
  } finally {
    await sessions.close();
  }
}

describe('the flagship against a lab host that cannot be managed', () => {
  it('diagnoses from the client alone when the host sshd refuses, and says the server was not inspected', async () => {
    const r = await runOnLab('cert-expired', { check: true, before: refuseSsh });
    expect(r.result.outcome).toBe('unreachable');
    expect(r.ends.get('handshake')?.status).toBe('ok');
    for (const id of SERVER_DIAGNOSES)
      expect(r.ends.get(id), id).toMatchObject({
        status: 'unreachable',
        unreachable: { reason: 'connectionRefused' },
      });
    expect(r.summary?.causes.find((c) => c.cause === 'cert-expired')).toMatchObject({
      detected: true,
      evidence: [expect.objectContaining({ stepId: 'handshake' })],
    });
    expect(r.summary?.unreachable).toMatchObject({ on: 'target', reason: 'connectionRefused' });
    const noted = r.records.filter((x) => x.type === 'target-unreachable');
    expect(noted).toEqual([expect.objectContaining({ on: 'target', reason: 'connectionRefused' })]);
    // Only the first server step pays for the attempt; the others end at once.
    for (const id of SERVER_DIAGNOSES.slice(1)) expect(r.ends.get(id)?.durationMs, id).toBeLessThan(100);

    // Every event is one the NDJSON schema describes; the plain reporter and the report say it plainly.
    for (const e of r.events) expect(EngineEventSchema.safeParse(e).error, e.type).toBeUndefined();
    const lines: string[] = [];
    const plain = createPlainReporter((l) => lines.push(l), createColors({ isTTY: false }));
    for (const e of r.events) plain.onEvent(e);
    // Lines are wrapped for 80 columns: match the words, not the line breaks.
    const text = lines.join('\n').replace(/\s+/g, ' ');
    expect(text).toMatch(
      /ssh:\/\/srv01 could not be reached for management after [\d.]+ s: the connection was refused/i,
    );
    expect(text).toMatch(/listener \(.*?\) UNREACHABLE: not run/);
    // The recap: not inspected and why, the steps not run, the client's evidence, exit 5 explained.
    expect(text).toMatch(/summary: rdp-0x904 on .*: server not inspected: problems may remain/);
    expect(text).toMatch(
      /the server was not inspected: \S+ could not be reached: the connection was refused/,
    );
    expect(text).toMatch(/not run there: listener, firewall, .*renew_certificate/);
    expect(text).toMatch(
      /client's evidence alone: ⚠ cert-expired \d+% remains: renew_certificate could not run: the server was not reachable for management handshake: The server's certificate CN=SRV01/,
    );
    expect(text).toMatch(/exit 5: the server could not be reached for management, so it was not inspected/);
    const report = buildReport(r.records);
    expect(report).toMatchObject({
      outcome: 'unreachable',
      unreachable: { on: 'target', reason: 'connectionRefused' },
    });
    expect(report.steps.find((s) => s.stepId === 'listener')?.status).toBe('unreachable');
    expect(report.recap).toMatchObject({
      exitCode: 5,
      notInspected: { side: 'server', steps: expect.arrayContaining(['listener', 'renew_certificate']) },
    });
    const markdown = renderMarkdown(report);
    const summary = markdown.slice(markdown.indexOf('## Summary'), markdown.indexOf('## About this run'));
    expect(summary).toMatch(
      /\*\*Not inspected:\*\* The server was not inspected: \S+ could not be reached for management: the connection was refused/,
    );
    expect(summary).toMatch(/Exit code 5: the server could not be reached for management/);
    const html = renderHtml(report);
    expect(html.slice(html.indexOf('id="summary"'), html.indexOf('id="evidence"'))).toMatch(
      /<strong>Not inspected:<\/strong> The server was not inspected: .*Not run on the server: listener/,
    );
  });

  it('skips the fixes that need the server in a fixing run, changes nothing and rolls nothing back', async () => {
    const r = await runOnLab('cert-expired', { check: false, before: refuseSsh });
    expect(r.result.outcome).toBe('unreachable');
    expect(r.ends.get('renew_certificate')).toMatchObject({ status: 'unreachable' });
    expect(r.records.some((x) => x.type === 'intent' || x.type === 'rollback-start')).toBe(false);
    expect(r.summary?.remaining).toContain('cert-expired');
  });

  it('once management works again, resume runs only the server steps and fixes what they confirm', async () => {
    const first = await runOnLab('cert-expired', { check: false, before: refuseSsh });
    expect(first.result.outcome).toBe('unreachable');
    for (const marker of readdirSync(join(lab!.runDir, 'ssh')).filter((f) => f.endsWith('.refused')))
      unlinkSync(join(lab!.runDir, 'ssh', marker));
    const resumed = await runOnLab('cert-expired', { check: false, resume: first.earlier });
    const diagnosed = resumed.events.filter(
      (e): e is StepEndEvent => e.type === 'step.end' && e.phase === 'diagnose',
    );
    const ran = diagnosed.map((e) => e.stepId);
    expect(ran).not.toContain('handshake');
    expect(ran).toEqual(expect.arrayContaining(SERVER_DIAGNOSES));
    const certificate = diagnosed.find((e) => e.stepId === 'certificate');
    expect(certificate?.findings?.some((f) => f.cause === 'cert-expired' && f.confidence >= 0.5)).toBe(true);
    expect(resumed.ends.get('renew_certificate')?.status).toBe('changed');
    expect(resumed.result.outcome).toBe('changed');
  });

  it('ends the rest of the server steps unreachable when the connection drops mid-run and the host stays down', async () => {
    let dropped = false;
    const r = await runOnLab('cert-expired', {
      check: true,
      onEvent: (e) => {
        if (dropped || e.type !== 'step.end' || e.stepId !== 'listener' || !lab) return;
        dropped = true;
        refuseSsh(lab);
        dropConnection();
      },
    });
    expect(r.ends.get('listener')?.status).toBe('ok');
    expect(r.result.outcome).toBe('unreachable');
    // The step that finds the connection gone fails (it was sent); the next one's reconnect is refused.
    const after = SERVER_DIAGNOSES.slice(1).map((id) => r.ends.get(id)?.status);
    expect(after).toEqual(['failed', 'unreachable', 'unreachable', 'unreachable', 'unreachable']);
    expect(r.summary?.unreachable?.reason).toBe('connectionRefused');
    expect(r.ends.get('isolation')?.status).toBe('ok');
  });
});
