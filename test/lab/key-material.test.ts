/** Lab states hold real private keys (for real TLS); nothing the lab prints may show one. */
import { describe, expect, it } from 'vitest';
import { diffStates, showScenario } from '../../src/cli/commands/lab/lab-command.js';
import type { Io } from '../../src/cli/run-action.js';
import { listScenarioNames, loadScenario } from '../../src/lab/scenario/scenario-loader.js';
import { keyMaterialIn, privateKeyLines } from './key-material.js';

function captureIo(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (t) => lines.push(t), err: (t) => lines.push(t), text: () => lines.join('\n') };
}

describe('lab output and private keys', () => {
  it('lab show, lab show --json and lab diff print no private key of any scenario', {
    timeout: 120_000,
  }, async () => {
    const names = await listScenarioNames();
    let keysSeen = 0;
    for (const name of names) {
      const loaded = await loadScenario(name);
      const keys = [...privateKeyLines(loaded.state), ...privateKeyLines(loaded.baseState)];
      keysSeen += keys.length;
      const io = captureIo();
      await showScenario(io, name, {});
      await showScenario(io, name, { json: true });
      await diffStates(io, 'healthy', name);
      await diffStates(io, name, 'healthy');
      expect(keyMaterialIn(io.text(), keys), `lab show/diff ${name}`).toEqual([]);
    }
    // The scan means something only if the states do hold keys.
    expect(keysSeen).toBeGreaterThan(100);
  });

  it('still says that a certificate key changed, without showing it', async () => {
    const io = captureIo();
    await showScenario(io, 'cert-expired', {});
    expect(io.text()).toMatch(/keyPem: "\(private key withheld\)"/);
  });
});
