import { X509Certificate } from 'node:crypto';
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

const service = (state: HostState, name: string) =>
  state.services.find((s: { name: string }) => s.name === name);

describe('service cmdlets', () => {
  it('returns ServiceController-shaped objects with enum Status/StartType and both dependency directions', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $s = Get-Service -Name TermService
      @{ type = $s.PSTypeNames -contains 'System.ServiceProcess.ServiceController'; name = $s.Name; display = $s.DisplayName
         status = [string]$s.Status; statusType = $s.Status.GetType().FullName; start = [string]$s.StartType
         dependents = @($s.DependentServices.Name); required = @($s.RequiredServices.Name); dependedOn = @($s.ServicesDependedOn.Name) }`);
    expect(v).toEqual({
      type: true,
      name: 'TermService',
      display: 'Remote Desktop Services',
      status: 'Running',
      statusType: 'System.ServiceProcess.ServiceControllerStatus',
      start: 'Manual',
      dependents: ['UmRdpService'],
      required: ['RpcSs'],
      dependedOn: ['RpcSs'],
    });
  });

  it('reports a missing service as Windows does, and stops with dependents only with -Force', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      Get-Service -Name NoSuchService -ErrorAction SilentlyContinue -ErrorVariable e1
      Stop-Service -Name TermService -ErrorAction SilentlyContinue -ErrorVariable e2
      $still = [string](Get-Service TermService).Status
      Stop-Service -Name TermService -Force
      @{ e1 = $e1[0].FullyQualifiedErrorId; m1 = $e1[0].Exception.Message; c1 = [string]$e1[0].CategoryInfo.Category
         e2 = $e2[0].FullyQualifiedErrorId; m2 = $e2[0].Exception.Message; still = $still }`);
    expect(v).toEqual({
      e1: 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand',
      m1: "Cannot find any service with service name 'NoSuchService'.",
      c1: 'ObjectNotFound',
      e2: 'ServiceHasDependentServices,Microsoft.PowerShell.Commands.StopServiceCommand',
      m2: "Cannot stop service 'Remote Desktop Services (TermService)' because it has dependent services. It can only be stopped if the Force flag is set.",
      still: 'Running',
    });
    expect(service(lab.state(), 'TermService').status).toBe('Stopped');
    expect(service(lab.state(), 'UmRdpService').status).toBe('Stopped');
  });

  it('cannot start a Disabled service until Set-Service changes its start type', async () => {
    lab.resetState((s) => {
      Object.assign(service(s, 'TermService'), { status: 'Stopped', startType: 'Disabled' });
    });
    const v = await lab.value<Record<string, unknown>>(`
      Start-Service -Name TermService -ErrorAction SilentlyContinue -ErrorVariable e
      Set-Service -Name TermService -StartupType Manual
      Start-Service -Name TermService
      @{ fqid = $e[0].FullyQualifiedErrorId; message = $e[0].Exception.Message }`);
    expect(v).toEqual({
      fqid: 'CouldNotStartService,Microsoft.PowerShell.Commands.StartServiceCommand',
      message:
        "Service 'Remote Desktop Services (TermService)' cannot be started due to the following error: Cannot start service TermService on computer '.'.",
    });
    expect(service(lab.state(), 'TermService')).toMatchObject({ status: 'Running', startType: 'Manual' });
  });

  it('changes nothing with -WhatIf', async () => {
    const before = lab.state();
    await lab.value(`
      Stop-Service TermService -Force -WhatIf; Restart-Service TermService -Force -WhatIf
      Set-Service TermService -StartupType Disabled -WhatIf`);
    expect(lab.state()).toEqual(before);
  });

  it('regenerates an expired self-signed RDP certificate when TermService restarts, and logs event 1056', async () => {
    let clock = '';
    lab.resetState((s) => {
      // A day past the healthy certificate's expiry, on a day of the month every month has.
      const expired = new Date(Date.parse(s.certificates['Remote Desktop'][0].notAfter) + 86_400_000);
      while (expired.getUTCDate() > 28) expired.setUTCDate(expired.getUTCDate() + 1);
      clock = expired.toISOString().replace('.000Z', 'Z');
      s.clock = clock;
    });
    const sixMonthsOn = addMonths(clock, 6);
    const v = await lab.value<Record<string, unknown>>(`
      Restart-Service -Name TermService -Force
      $c = Get-ChildItem -LiteralPath 'Cert:\\LocalMachine\\Remote Desktop'
      $e = Get-WinEvent -FilterHashtable @{ LogName = 'System'; Id = 1056 } -MaxEvents 1
      @{ count = @($c).Count; thumb = $c.Thumbprint; subject = $c.Subject; notAfter = $c.NotAfter.ToUniversalTime().ToString('o')
         pk = $c.HasPrivateKey; dns = @($c.DnsNameList | ForEach-Object { [string]$_ }); event = $e.TimeCreated.ToUniversalTime().ToString('o')
         umrdp = [string](Get-Service UmRdpService).Status }`);
    const state = lab.state();
    const renewed = state.certificates['Remote Desktop'];
    expect(renewed).toHaveLength(1);
    const x509 = new X509Certificate(renewed[0].certPem);
    expect(x509.fingerprint.replaceAll(':', '')).toBe(renewed[0].thumbprint);
    expect(new Date(x509.validTo).toISOString()).toBe(sixMonthsOn.toISOString());
    expect(v).toMatchObject({
      count: 1,
      thumb: renewed[0].thumbprint,
      subject: 'CN=SRV01.corp.example',
      notAfter: sixMonthsOn.toISOString().replace('.000Z', '.0000000Z'),
      pk: true,
      dns: ['SRV01.corp.example'],
      event: clock.replace('Z', '.0000000Z'),
      umrdp: 'Running',
    });
  });

  it('keeps a valid self-signed certificate when TermService restarts', async () => {
    const before = lab.state().certificates['Remote Desktop'][0].thumbprint;
    await lab.value('Restart-Service -Name TermService -Force');
    expect(lab.state().certificates['Remote Desktop'][0].thumbprint).toBe(before);
  });
});

describe('certificate provider', () => {
  it('lists the Remote Desktop store as real X509Certificate2 objects with provider properties', async () => {
    const healthy = lab.state().certificates['Remote Desktop'][0];
    const v = await lab.value<Record<string, unknown>>(`
      $c = Get-ChildItem -Path 'Cert:\\LocalMachine\\Remote Desktop'
      $byPath = Get-Item -LiteralPath ("Cert:\\LocalMachine\\Remote Desktop\\" + $c.Thumbprint)
      @{ type = $c.GetType().FullName; thumb = $c.Thumbprint; issuer = $c.Issuer; pk = $c.HasPrivateKey; psPath = $c.PSPath
         eku = @($c.EnhancedKeyUsageList | ForEach-Object { $_.ObjectId }); same = ($byPath.Thumbprint -eq $c.Thumbprint)
         my = @(Get-ChildItem Cert:\\LocalMachine\\My).Count; store = Test-Path 'Cert:\\LocalMachine\\Remote Desktop' }`);
    expect(v).toEqual({
      type: 'System.Security.Cryptography.X509Certificates.X509Certificate2',
      thumb: healthy.thumbprint,
      issuer: 'CN=SRV01.corp.example',
      pk: true,
      psPath: `Microsoft.PowerShell.Security\\Certificate::LocalMachine\\Remote Desktop\\${healthy.thumbprint}`,
      eku: ['1.3.6.1.5.5.7.3.1'],
      same: true,
      my: 0,
      store: true,
    });
  });

  it('creates a self-signed certificate in My and removes a certificate through the pipeline', async () => {
    const v = await lab.value<Record<string, unknown>>(`
      $n = New-SelfSignedCertificate -DnsName 'srv01.corp.example' -CertStoreLocation 'Cert:\\LocalMachine\\My' -NotAfter (Get-Date).AddMonths(3)
      $before = @(Get-ChildItem 'Cert:\\LocalMachine\\Remote Desktop')
      $before | Remove-Item
      @{ thumb = $n.Thumbprint; notAfter = $n.NotAfter.ToUniversalTime().ToString('yyyy-MM-dd'); left = @(Get-ChildItem 'Cert:\\LocalMachine\\Remote Desktop').Count }`);
    const state = lab.state();
    expect(state.certificates.My[0].thumbprint).toBe(v.thumb);
    expect(v).toMatchObject({ notAfter: addMonths(state.clock, 3).toISOString().slice(0, 10), left: 0 });
    expect(state.certificates['Remote Desktop']).toEqual([]);
  });

  it('removes nothing with -WhatIf and reports a missing thumbprint', async () => {
    const before = lab.state();
    const v = await lab.value<Record<string, unknown>>(`
      Get-ChildItem 'Cert:\\LocalMachine\\Remote Desktop' | Remove-Item -WhatIf
      Remove-Item -LiteralPath 'Cert:\\LocalMachine\\My\\0000000000000000000000000000000000000000' -ErrorAction SilentlyContinue -ErrorVariable e
      @{ fqid = $e[0].FullyQualifiedErrorId }`);
    expect(lab.state()).toEqual(before);
    expect(v.fqid).toBe('PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand');
  });
});

/** `time` plus `months` calendar months, clamped to the month's last day as .NET's DateTime.AddMonths does. */
function addMonths(time: string, months: number): Date {
  const date = new Date(time);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date;
}
