/** The lab's Task Scheduler: due triggers on the real clock, and a reboot that fires startup triggers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../src/lab/lab.js';
import { isDue } from '../../src/lab/task-scheduler.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

describe('the lab Task Scheduler', () => {
  it.each([
    ['a Once trigger whose time has passed', { triggers: [{ type: 'Once', at: at(0) }] }, true],
    ['a Once trigger still to come', { triggers: [{ type: 'Once', at: at(60_000) }] }, false],
    [
      'a task that ran since its trigger',
      { triggers: [{ type: 'Once', at: at(0) }], lastRunTime: at(1000) },
      false,
    ],
    ['a disabled trigger', { triggers: [{ type: 'Once', at: at(0), enabled: false }] }, false],
    ['a disabled task', { state: 'Disabled', triggers: [{ type: 'Once', at: at(0) }] }, false],
    ['a startup trigger alone', { triggers: [{ type: 'AtStartup' }] }, false],
  ])('says whether %s is due', (_what, task, due) => {
    expect(isDue({ taskName: 't', taskPath: '\\', state: 'Ready', ...task }, 30_000)).toBe(due);
  });

  it('keeps a registered task across a reboot and runs its startup trigger against the host state', async () => {
    lab = await startLab('healthy');
    const host = lab.hosts[0]!;
    const state = JSON.parse(readFileSync(host.statePath, 'utf8'));
    const command = 'Set-Service -Name TermService -StartupType Disabled';
    state.scheduledTasks.push({
      taskName: 'on-boot',
      taskPath: '\\psremedy\\',
      state: 'Ready',
      actions: [{ execute: 'powershell.exe', arguments: `-NoProfile -Command "${command}"` }],
      triggers: [{ type: 'AtStartup', enabled: true }],
    });
    writeFileSync(host.statePath, JSON.stringify(state));
    await host.tasks.boot();
    const after = JSON.parse(readFileSync(host.statePath, 'utf8'));
    expect(after.services.find((s: { name: string }) => s.name === 'TermService')).toMatchObject({
      startType: 'Disabled',
    });
    expect(after.scheduledTasks).toEqual([
      expect.objectContaining({ taskName: 'on-boot', state: 'Ready', lastTaskResult: 0 }),
    ]);
  }, 30_000);
});
