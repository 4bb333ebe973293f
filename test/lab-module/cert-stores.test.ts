import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HostState, LabShell } from './lab-shell.js';

let lab: LabShell;
beforeAll(async () => {
  lab = await LabShell.start();
});
afterAll(async () => {
  await lab?.close();
});
beforeEach(() => lab.resetState());

const RD = 'Cert:\\LocalMachine\\Remote Desktop';
const BACKUP = 'Cert:\\LocalMachine\\PSRemedyBackup';
const thumbprint = (state: HostState): string => state.certificates['Remote Desktop'][0].thumbprint;

/** Runs `script` and returns the terminating error's FQID and message, or the non-terminating one's. */
const failure = (script: string): string => `
  $e = $null
  try { ${script} -ErrorAction SilentlyContinue -ErrorVariable e } catch { $e = @($_) }
  @{ fqid = $e[0].FullyQualifiedErrorId; message = $e[0].Exception.Message; type = $e[0].Exception.GetType().FullName }`;

describe('certificate stores', () => {
  it('creates a LocalMachine store that Test-Path, Get-Item and Get-ChildItem then see, and persists it', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $before = Test-Path -LiteralPath '${BACKUP}'
      $store = New-Item -Path '${BACKUP}'
      @{ before = $before; after = Test-Path -LiteralPath '${BACKUP}' -PathType Container; type = $store.PSTypeNames[0]; name = $store.Name
         item = (Get-Item -LiteralPath '${BACKUP}').Name; children = @(Get-ChildItem -LiteralPath '${BACKUP}').Count }`);
    expect(v).toEqual({
      before: false,
      after: true,
      type: 'System.Security.Cryptography.X509Certificates.X509Store',
      name: 'PSRemedyBackup',
      item: 'PSRemedyBackup',
      children: 0,
    });
    expect(lab.state().certificates.PSRemedyBackup).toEqual([]);
  });

  it('refuses to create a store that exists, one under CurrentUser, or a certificate, with the provider errors', async () => {
    const existing = await lab.value(failure(`New-Item -Path 'Cert:\\LocalMachine\\My'`));
    const user = await lab.value(failure(`New-Item -Path 'Cert:\\CurrentUser\\Custom'`));
    const cert = await lab.value(failure(`New-Item -Path '${RD}\\${'A'.repeat(40)}'`));
    expect(existing).toMatchObject({
      fqid: 'NewItemProviderException,Microsoft.PowerShell.Commands.NewItemCommand',
    });
    expect(user).toEqual({
      fqid: 'CannotCreateUserStore,Microsoft.PowerShell.Commands.NewItemCommand',
      message: 'Creating certificate stores under CurrentUser is not supported. ',
      type: 'System.InvalidOperationException',
    });
    expect(cert).toMatchObject({ fqid: 'CannotCreateItem,Microsoft.PowerShell.Commands.NewItemCommand' });
    expect(Object.keys(lab.state().certificates).sort()).toEqual(['My', 'Remote Desktop']);
  });

  it('moves a certificate to another store with its private key, previews the move with -WhatIf, and moves it back through the pipeline', async () => {
    const thumb = thumbprint(lab.state());
    const entry = lab.state().certificates['Remote Desktop'][0];
    const v = await lab.value<Record<string, unknown>>(`
      New-Item -Path '${BACKUP}' | Out-Null
      Move-Item -LiteralPath '${RD}\\${thumb}' -Destination '${BACKUP}' -WhatIf
      $kept = @(Get-ChildItem -LiteralPath '${RD}').Count
      $moved = Move-Item -LiteralPath '${RD}\\${thumb}' -Destination '${BACKUP}' -PassThru
      @{ kept = $kept; parent = $moved.PSParentPath; key = $moved.HasPrivateKey; left = @(Get-ChildItem -LiteralPath '${RD}').Count
         backup = @(Get-ChildItem -LiteralPath '${BACKUP}' | ForEach-Object Thumbprint) }`);
    expect(v).toEqual({
      kept: 1,
      parent: 'Microsoft.PowerShell.Security\\Certificate::LocalMachine\\PSRemedyBackup',
      key: true,
      left: 0,
      backup: [thumb],
    });
    expect(lab.state().certificates.PSRemedyBackup).toEqual([entry]);
    expect(lab.state().certificates['Remote Desktop']).toEqual([]);
    await lab.value(`Get-ChildItem -LiteralPath '${BACKUP}' | Move-Item -Destination '${RD}'`);
    expect(lab.state().certificates['Remote Desktop']).toEqual([entry]);
    expect(lab.state().certificates.PSRemedyBackup).toEqual([]);
  });

  it('reports a missing certificate and refuses moves the provider refuses', async () => {
    const thumb = thumbprint(lab.state());
    const source = `Move-Item -LiteralPath '${RD}\\${thumb}'`;
    const missing = await lab.value(
      failure(`Move-Item -LiteralPath '${RD}\\${'0'.repeat(40)}' -Destination 'Cert:\\LocalMachine\\My'`),
    );
    const same = await lab.value(failure(`${source} -Destination '${RD}'`));
    const cross = await lab.value(failure(`${source} -Destination 'Cert:\\CurrentUser\\My'`));
    const noStore = await lab.value(failure(`${source} -Destination 'Cert:\\LocalMachine\\NoSuchStore'`));
    const container = await lab.value(
      failure(`Move-Item -LiteralPath '${RD}' -Destination 'Cert:\\LocalMachine\\My'`),
    );
    expect(missing).toEqual({
      fqid: 'InvalidOperation,Microsoft.PowerShell.Commands.MoveItemCommand',
      message: `Cannot move item because the item at '${RD}\\${'0'.repeat(40)}' does not exist.`,
      type: 'System.Management.Automation.PSInvalidOperationException',
    });
    expect(same).toMatchObject({
      fqid: 'CannotMoveToSameStore,Microsoft.PowerShell.Commands.MoveItemCommand',
    });
    expect(cross).toMatchObject({
      fqid: 'CannotMoveCrossContext,Microsoft.PowerShell.Commands.MoveItemCommand',
    });
    expect(noStore).toEqual({
      fqid: 'CertProviderItemNotFound,Microsoft.PowerShell.Commands.MoveItemCommand',
      message: 'Cannot find the X509 certificate store at path LocalMachine\\NoSuchStore.',
      type: 'Microsoft.PowerShell.Commands.CertificateStoreNotFoundException',
    });
    expect(container).toMatchObject({
      fqid: 'CannotMoveContainer,Microsoft.PowerShell.Commands.MoveItemCommand',
    });
    expect(lab.state().certificates['Remote Desktop'][0].thumbprint).toBe(thumb);
  });

  it('removes an empty store, asks before removing one with certificates, and never removes a system store', async () => {
    const thumb = thumbprint(lab.state());
    lab.resetState((s) => {
      s.certificates.Full = [s.certificates['Remote Desktop'][0]];
      s.certificates.Empty = [];
    });
    const asked = await lab.value(failure(`Remove-Item -LiteralPath 'Cert:\\LocalMachine\\Full'`));
    const system = await lab.value(failure(`Remove-Item -LiteralPath 'Cert:\\LocalMachine\\My'`));
    const missing = await lab.value(failure(`Remove-Item -LiteralPath 'Cert:\\LocalMachine\\NoSuchStore'`));
    expect(asked).toEqual({
      fqid: 'InvalidOperation,Microsoft.PowerShell.Commands.RemoveItemCommand',
      message: 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
      type: 'System.Management.Automation.PSInvalidOperationException',
    });
    expect(system).toEqual({
      fqid: 'CannotRemoveSystemStore,Microsoft.PowerShell.Commands.RemoveItemCommand',
      message: 'The store My is a built-in system store and cannot be deleted.',
      type: 'System.InvalidOperationException',
    });
    expect(missing).toMatchObject({ fqid: 'PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand' });
    expect(lab.state().certificates.Full[0].thumbprint).toBe(thumb);

    const v = await lab.value<Record<string, unknown>>(`
      Remove-Item -LiteralPath 'Cert:\\LocalMachine\\Empty'
      Remove-Item -LiteralPath 'Cert:\\LocalMachine\\Full' -Recurse
      @{ empty = Test-Path -LiteralPath 'Cert:\\LocalMachine\\Empty'; full = Test-Path -LiteralPath 'Cert:\\LocalMachine\\Full' }`);
    expect(v).toEqual({ empty: false, full: false });
    expect(Object.keys(lab.state().certificates).sort()).toEqual(['My', 'Remote Desktop']);
  });

  it('creates and removes a store even under -WhatIf, as the Windows provider does (stores have no ShouldProcess)', async () => {
    await lab.value(`New-Item -Path '${BACKUP}' -WhatIf | Out-Null`);
    expect(lab.state().certificates.PSRemedyBackup).toEqual([]);
    await lab.value(`Remove-Item -LiteralPath '${BACKUP}' -WhatIf`);
    expect(lab.state().certificates.PSRemedyBackup).toBeUndefined();
  });
});
