import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.js';
import { evaluateCondition, loadPlaybook } from '../../src/playbook/index.js';

const scripts = fileURLToPath(new URL('../fixtures/bad-playbooks/scripts/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'psremedy-when-'));

/** A playbook whose second step has the given `when:` (YAML-quoted) and `with:` Name value. */
async function problemsOf(when: string, name = 'x'): Promise<string[]> {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'apiVersion: psremedy/v1',
      'name: when-types',
      'title: When types',
      'params:',
      '  Port: { type: int, default: 3389 }',
      '  On: { type: bool, default: true }',
      '  Mode: { type: enum, values: [a, b], default: a }',
      'causes:',
      '  - id: port-closed',
      '    title: Port closed',
      'steps:',
      '  - { id: probe, title: Probe, kind: diagnose, script: ./s/Test-Ok.ps1 }',
      '  - id: second',
      '    title: Second',
      '    kind: diagnose',
      `    script: ${join(scripts, 'Test-Ok.ps1')}`,
      `    when: ${JSON.stringify(when)}`,
      `    with: { Name: ${JSON.stringify(name)} }`,
    ]
      .join('\n')
      .replace('./s/', scripts),
  );
  try {
    await loadPlaybook(file);
    return [];
  } catch (error) {
    if (!(error instanceof PlaybookError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

// What the run's expressions see for this playbook, to hold validate's verdicts against the run's.
const RUN_CONTEXT = {
  params: { Port: 3389, On: true, Mode: 'a' },
  steps: { probe: { status: 'ok', result: { open: true }, findings: [{ cause: 'port-closed' }] } },
  causes: { 'port-closed': { detected: true, confidence: 0.5 } },
};

describe('when: conditions are type-checked with the declared param types', () => {
  it.each([
    'params.Port > 1000',
    'params.On',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    '${{ params.On }}',
    'params.Mode == "a"',
    'causes["port-closed"].detected',
    'causes["port-closed"].confidence > 0.5',
    'steps.probe.status == "ok"',
    'steps.probe.result.open',
    'has(steps.probe.result.open) && steps.probe.result.open == true',
    'steps.probe.findings.exists(f, f.cause == "port-closed")',
    // Values of different types compare as unequal in the run, so these are conditions, not errors.
    'params.Port == 3389.0',
    'params.Mode != 1',
    'params.Port in [1.0, 2.0]',
    'params.Mode == null',
  ])('accepts %s, which gives true or false (or a value only the run knows)', async (when) => {
    expect(await problemsOf(when)).toEqual([]);
    expect(typeof evaluateCondition(when, RUN_CONTEXT)).toBe('boolean');
  });

  it.each([
    ['params.Port + 1', 'a condition must be true or false, not a number (int)'],
    ['params.Mode', 'a condition must be true or false, not a string'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    ['${{ params.Port }}', 'a condition must be true or false, not a number (int)'],
    ['causes["port-closed"].confidence', 'a condition must be true or false, not a number (double)'],
    ['steps.probe.status', 'a condition must be true or false, not a string'],
    ['params.Port + 0.5 > 1.0', 'CEL: no such overload: int + double'],
    ['params.On > 1', 'CEL: no such overload: bool > int'],
  ])('refuses %s, which the run could only fail on', async (when, message) => {
    expect(await problemsOf(when)).toEqual([`steps.1.when: ${message}`]);
    expect(() => evaluateCondition(when, RUN_CONTEXT)).toThrow();
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
  it('type-checks ${{ }} in with: values too', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: playbook ${{ }} syntax, not a JS template
    expect(await problemsOf('true', '${{ params.Mode + params.Port }}')).toEqual([
      'steps.1.with.Name: CEL: no such overload: string + int',
    ]);
  });
});
