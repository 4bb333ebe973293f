import { readFileSync } from 'node:fs';

/** What one lab host costs the machine, as bench/fleet.ts measured it (relay + -sshs server, PSS). */
const MIB_PER_HOST = 120;
/** Memory left to everything else (other work on a shared machine, the page cache of the host's DLLs). */
const SPARE_MIB = 2048;
/** File descriptors psremedy holds per lab host: the relay's three pipes, the listener and claim sockets, slack. */
const FDS_PER_HOST = 10;
/** Loopback addresses a lab can claim (127.0.0.2-254), some taken by other labs on the machine. */
const LOOPBACK_ADDRESSES = 253;

/** The largest fleet up to `wanted` this machine holds, and what limits it when smaller. */
export function fitFleetSize(wanted: number): { hosts: number; limit: string } {
  const availableMiB =
    Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024;
  const openFiles = Number(
    /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1024,
  );
  const limits = [
    {
      hosts: Math.floor((availableMiB - SPARE_MIB) / MIB_PER_HOST),
      why: `memory: ${Math.round(availableMiB)} MiB available, about ${MIB_PER_HOST} MiB per host`,
    },
    {
      hosts: Math.floor((openFiles - 200) / FDS_PER_HOST),
      why: `file descriptors: ulimit -n is ${openFiles}`,
    },
    { hosts: LOOPBACK_ADDRESSES, why: 'loopback addresses: one 127.0.0.x per host, 253 in all' },
  ];
  const tightest = limits.reduce((a, b) => (b.hosts < a.hosts ? b : a));
  return tightest.hosts < wanted
    ? { hosts: Math.max(1, tightest.hosts), limit: tightest.why }
    : { hosts: wanted, limit: '' };
}
