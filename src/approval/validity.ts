import { ApprovalError, UsageError } from '../core/errors.js';
import type { Approval } from './approval-format.js';

/** How far the approving machine's clock may run ahead of the running machine's. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `--expires`: a duration (`90m`, `12h`, `30d`, `2w`) from `now`, or an ISO 8601 date/time. */
export function parseExpiry(spec: string, now: Date): Date {
  const duration = /^(\d+)(m|h|d|w)$/.exec(spec.trim());
  const when = duration
    ? new Date(now.getTime() + Number(duration[1]) * (UNIT_MS[duration[2] as string] as number))
    : /^\d{4}-\d{2}-\d{2}/.test(spec)
      ? new Date(spec)
      : new Date(Number.NaN);
  if (Number.isNaN(when.getTime()))
    throw new UsageError(
      `--expires ${spec}: expected a duration such as 30d, 12h, 2w, or a date such as 2030-01-31`,
    );
  if (when.getTime() <= now.getTime()) throw new UsageError(`--expires ${spec} is not in the future`);
  return when;
}

/** Refuses an approval that is not valid at `now`: `not-yet-valid` or `expired`. */
export function checkValidity(approval: Approval, now: Date): void {
  const created = Date.parse(approval.created);
  const expires = Date.parse(approval.expires);
  if (created - CLOCK_SKEW_MS > now.getTime())
    throw new ApprovalError(
      `the approval was created at ${approval.created}, later than now (${now.toISOString()}); check this machine's clock`,
      'not-yet-valid',
      { created: approval.created, now: now.toISOString() },
    );
  if (now.getTime() >= expires)
    throw new ApprovalError(
      `the approval expired at ${approval.expires} (now ${now.toISOString()}); ask the approver for a new one (psremedy approve)`,
      'expired',
      { expires: approval.expires, now: now.toISOString() },
    );
}
