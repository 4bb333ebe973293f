import type { HostState } from '../host-state.js';

/** Addresses a started host gets: its own, and (when the scenario uses `@stale`) one where nothing listens. */
export interface HostAddresses {
  address: string;
  staleAddress?: string;
}

/**
 * Puts a started host at its loopback address: `network.address`, the management adapter's first
 * IPv4 address, and the client's DNS and hosts-file answers that named the base address (or
 * `@host`) now name it; `@stale` names an address where nothing listens (a stale record).
 */
export function placeHost(state: HostState, addresses: HostAddresses): void {
  const management = state.netAdapters.find((a) => a.carriesManagement) ?? state.netAdapters[0];
  const ipv4 = (management?.ipv4 as Array<{ address: string }> | undefined)?.[0];
  const old = new Set(
    ['@host', state.network?.address, ipv4?.address].filter((a): a is string => Boolean(a)),
  );
  state.network = { ...state.network, address: addresses.address };
  if (ipv4) ipv4.address = addresses.address;
  for (const table of [state.client.dns, state.client.hostsFile]) {
    if (!table) continue;
    for (const [name, list] of Object.entries(table)) {
      table[name] = list.map((a) => {
        if (old.has(a)) return addresses.address;
        if (a === '@stale') {
          if (!addresses.staleAddress)
            throw new Error('the scenario uses @stale but no stale address was claimed');
          return addresses.staleAddress;
        }
        return a;
      });
    }
  }
}

/** True when the client view names `@stale` anywhere (the lab then claims an address for it). */
export function usesStaleAddress(state: HostState): boolean {
  return [state.client.dns, state.client.hostsFile].some(
    (t) => t && Object.values(t).some((l) => l.includes('@stale')),
  );
}

/** Lower-case names the stand-in ssh answers to for a host: its name and its FQDN. */
export function hostAliases(state: HostState): string[] {
  const name = state.hostName.toLowerCase();
  return state.domain ? [name, `${name}.${state.domain.toLowerCase()}`] : [name];
}
