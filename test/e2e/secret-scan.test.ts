/**
 * A whole lab run of the flagship playbook with a secret param (passed to a script that echoes it
 * everywhere) and credential environment values: none of them may appear in any file under the
 * state dir (journals, locks, run records), any report format, NDJSON, stderr or --verbose output.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, scratch } from './run-cli-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const echoScript = fileURLToPath(new URL('../fixtures/secrets/Test-EchoSecret.ps1', import.meta.url));

/** The flagship, with a secret param that a first step echoes and a fix step's confirm text names. */
function secretPlaybook(dir: string): string {
  mkdirSync(join(dir, 'playbooks'));
  symlinkSync(join(root, 'ps-scripts'), join(dir, 'ps-scripts'));
  copyFileSync(echoScript, join(dir, 'playbooks', 'Test-EchoSecret.ps1'));
  const flagship = readFileSync(join(root, 'playbooks', 'rdp-0x904.yaml'), 'utf8');
  const echoSteps = [
    'steps:',
    '  - id: echo_secret',
    '    title: Echo the secret',
    '    kind: diagnose',
    '    on: client',
    '    script: ./Test-EchoSecret.ps1',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    '    with: { Token: "${{ params.AuditToken }}", Label: "audit=${{ params.AuditToken }}" }',
    '  - id: echo_secret_fails',
    '    title: Echo the secret in an error',
    '    kind: diagnose',
    '    on: target',
    '    script: ./Test-EchoSecret.ps1',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    '    with: { Token: "${{ params.AuditToken }}", Fail: true }',
  ].join('\n');
  const text = flagship
    .replace(
      /^params:\n/m,
      'params:\n  AuditToken: { type: string, required: true, secret: true, description: a secret }\n',
    )
    .replace(/^steps:$/m, echoSteps)
    // Inside the confirm text's closing quote, when it has one.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    .replace(/(- id: open_firewall[\s\S]*?confirm: [^\n]*?)('?)$/m, '$1 Audit ${{ params.AuditToken }}.$2');
  const file = join(dir, 'playbooks', 'rdp-secret.yaml');
  writeFileSync(file, text);
  return file;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && statSync(full).size < 64 * 1024 * 1024 ? [full] : [];
  });
}

describe('secrets in a whole lab run', () => {
  it('never appear in the journal, state dir, reports, NDJSON, stderr or --verbose output', {
    timeout: 600_000,
  }, async () => {
    const s = scratch({});
    const playbook = secretPlaybook(s.dir);
    const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
    const user = `cred-user-${randomBytes(6).toString('hex')}`;
    const password = `cred-pass-${randomBytes(6).toString('hex')}`;
    const env = { PSREMEDY_CREDENTIAL_USER: user, PSREMEDY_CREDENTIAL_PASSWORD: password };
    const outputs: Record<string, string> = {};

    const ndjson = await cli(
      [
        'run',
        playbook,
        '--lab',
        'firewall-closed',
        '--yes',
        '--verbose',
        '--output',
        'ndjson',
        '-p',
        `AuditToken=${secret}`,
      ],
      s.home,
      env,
    );
    outputs['run ndjson stdout'] = ndjson.stdout;
    outputs['run ndjson stderr'] = ndjson.stderr;
    const summary = JSON.parse(ndjson.stdout.trim().split('\n').at(-1) ?? '{}') as {
      runId?: string;
      fixed?: string[];
    };
    // The run really went through: the firewall was opened, so the confirm text was rendered.
    expect(summary.fixed).toContain('open_firewall');
    const runId = summary.runId ?? '';

    const text = await cli(
      ['run', playbook, '--lab', 'firewall-closed', '--check', '--verbose', '-p', `AuditToken=${secret}`],
      s.home,
      env,
    );
    outputs['run --check text stdout'] = text.stdout;
    outputs['run --check text stderr'] = text.stderr;
    // The echo steps ran and their secret-bearing output was shown (masked), not skipped.
    expect(text.stdout).toMatch(/Echo the secret/);

    for (const format of ['md', 'html', 'json']) {
      const report = await cli(['report', runId, '--format', format], s.home, env);
      outputs[`report ${format}`] = report.stdout + report.stderr;
      expect(report.status).toBe(0);
    }
    const rollback = await cli(['rollback', runId, '--verbose'], s.home, env);
    outputs['rollback --verbose'] = rollback.stdout + rollback.stderr;
    const runs = await cli(['runs'], s.home, env);
    outputs.runs = runs.stdout + runs.stderr;
    for (const file of filesUnder(s.home)) outputs[file] = readFileSync(file, 'latin1');

    const needles = [secret, user, password].flatMap((v) => [v, Buffer.from(v).toString('base64')]);
    const leaks = Object.entries(outputs).flatMap(([where, content]) =>
      needles.filter((n) => content.includes(n)).map((n) => `${where}: ${n}`),
    );
    expect(leaks).toEqual([]);
    expect(Object.keys(outputs).filter((k) => k.endsWith('journal.jsonl')).length).toBe(2);
  });
});
