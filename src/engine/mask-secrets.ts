/**
 * Secret values (params marked `secret`, the WinRM password) that come back in what a script
 * returns or says (PowerShell's own conversion errors quote the value) are masked once, as each
 * outcome leaves the session, before anything reaches events, the journal, reports or the terminal.
 */
import { SECRET_MASK } from '../playbook/plan.js';
import type { Session, TargetSpec } from '../powershell/types.js';
import type { SessionProvider } from './session-provider.js';

/** Shorter values are not masked: they would mask ordinary words and numbers everywhere. */
export const MIN_MASKED_LENGTH = 3;

/** The values of the secret params (as text, as PowerShell would print them), plus extra secrets. */
export function secretValuesOf(
  params: Record<string, unknown>,
  secretNames: string[],
  extra: Array<string | undefined> = [],
): string[] {
  const values = [...secretNames.map((n) => params[n]), ...extra]
    .filter((v) => v !== undefined && v !== null)
    .map((v) => String(v))
    .filter((v) => v.length >= MIN_MASKED_LENGTH);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** The values to mask in a run: its secret params and the WinRM passwords of its targets. */
export function secretsOfRun(
  declared: Record<string, { secret?: boolean }>,
  params: Record<string, unknown>,
  targets: TargetSpec[],
): string[] {
  const names = Object.entries(declared)
    .filter(([, p]) => p.secret)
    .map(([name]) => name);
  const passwords = targets.map((t) => (t.kind === 'winrm' ? t.credential?.password : undefined));
  return secretValuesOf(params, names, passwords);
}

/** The text with every secret replaced by the mask. */
export function maskText(text: string, secrets: readonly string[]): string {
  let masked = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    if (secret !== '' && masked.includes(secret)) masked = masked.split(secret).join(SECRET_MASK);
  return masked;
}

/**
 * A copy of `value` (a script outcome: result, error, warnings, verbose lines) with every
 * occurrence of a secret replaced by the mask, in strings and in keys (a script may key a table by
 * the value); the value itself when there is no secret.
 */
export function maskSecretValues<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.some((s) => s !== '')) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[maskText(k, secrets)] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** Sessions whose every outcome has the secrets masked (the scripts still get the real values). */
export function maskSessionOutput(provider: SessionProvider, secrets: readonly string[]): SessionProvider {
  if (secrets.length === 0) return provider;
  const wrap = async (session: Promise<Session>): Promise<Session> => {
    const inner = await session;
    return {
      target: inner.target,
      run: async (request) => maskSecretValues(await inner.run(request), secrets),
      close: () => inner.close(),
    };
  };
  return {
    get: (on) => wrap(provider.get(on)),
    reopen: (on, options) => wrap(provider.reopen(on, options)),
    interrupt: () => provider.interrupt(),
    close: () => provider.close(),
  };
}
