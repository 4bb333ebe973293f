/**
 * .NET runtime settings for PowerShell processes that only carry a remote session (the local
 * relay of a remote target) or serve one (a lab host's -sshs server). Such a process runs a few
 * dozen requests, not thousands, so tiered compilation's background re-JIT never pays back: with
 * it off, opening a lab session cost 2.0-2.7 s of CPU instead of 4-8 s (relay + server, 10 hosts
 * opening 4 at a time on 2 cores) and remote round trips were as fast or faster (13 vs 17-19 ms).
 * A 4 MiB gen0 budget keeps about 6-7 MiB less private memory per process at no measured CPU cost.
 * Local sessions, which run every client step, keep the default (see powershell-process.ts).
 * Documented: https://learn.microsoft.com/dotnet/core/runtime-config/compilation (TieredCompilation);
 * GCgen0size is the GC's gen0 budget setting (hexadecimal bytes).
 */
export const SESSION_CARRIER_RUNTIME: Readonly<Record<string, string>> = {
  DOTNET_TieredCompilation: '0',
  DOTNET_GCgen0size: '0x400000',
};

/** The settings above, less any the user set in their own environment (theirs win). */
export function carrierRuntimeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SESSION_CARRIER_RUNTIME).filter(([name]) => env[name] === undefined),
  );
}
