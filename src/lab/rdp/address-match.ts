/**
 * Windows Defender Firewall address conditions (RemoteAddress / LocalAddress of a rule) for IPv4:
 * `Any`, single addresses, `a.b.c.d/len`, `a.b.c.d/255.255.255.0`, ranges `a-b`, and the keywords
 * `LocalSubnet` and `DefaultGateway` (New-NetFirewallRule -RemoteAddress). Other keywords
 * (`Intranet`, `Internet`, `DNS`, `DHCP`, `WINS`, ...) depend on network detection the lab does
 * not model; they match nothing here.
 */

/** The host's own IPv4 networks and gateways, which the keywords stand for. */
export interface AddressContext {
  subnets: Array<{ address: string; prefixLength: number }>;
  gateways: string[];
}

/** True when `address` is covered by the rule's address condition (a comma list or array). */
export function addressConditionCovers(
  condition: string | string[] | undefined,
  address: string,
  context: AddressContext,
): boolean {
  const entries = (Array.isArray(condition) ? condition : [condition ?? 'Any'])
    .flatMap((e) => String(e).split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) return true;
  const target = ipv4ToNumber(address);
  return entries.some((entry) => entryCovers(entry, target, context));
}

function entryCovers(entry: string, target: number | undefined, context: AddressContext): boolean {
  if (/^(any|\*)$/i.test(entry)) return true;
  if (target === undefined) return false;
  if (/^localsubnet$/i.test(entry))
    return context.subnets.some((s) => inPrefix(target, ipv4ToNumber(s.address), s.prefixLength));
  if (/^defaultgateway$/i.test(entry)) return context.gateways.some((g) => ipv4ToNumber(g) === target);
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(entry);
  if (range) {
    const low = ipv4ToNumber(range[1] as string);
    const high = ipv4ToNumber(range[2] as string);
    return low !== undefined && high !== undefined && target >= low && target <= high;
  }
  const slash = /^([\d.]+)\/([\d.]+)$/.exec(entry);
  if (slash) {
    const base = ipv4ToNumber(slash[1] as string);
    const length = maskLength(slash[2] as string);
    return base !== undefined && length !== undefined && inPrefix(target, base, length);
  }
  return ipv4ToNumber(entry) === target;
}

function inPrefix(target: number, base: number | undefined, length: number): boolean {
  if (base === undefined) return false;
  if (length === 0) return true;
  const mask = length >= 32 ? 0xffffffff : (0xffffffff << (32 - length)) >>> 0;
  return (target & mask) >>> 0 === (base & mask) >>> 0;
}

function maskLength(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 32 ? n : undefined;
  }
  const mask = ipv4ToNumber(text);
  if (mask === undefined) return undefined;
  const bits = mask.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : undefined;
}

/** An IPv4 address as an unsigned 32-bit number; undefined for anything else (IPv6, names). */
export function ipv4ToNumber(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
