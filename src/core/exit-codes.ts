/** The process exit codes psremedy documents in its README; only src/cli sets them. */
export const EXIT = {
  ok: 0,
  problemsRemain: 1,
  badInput: 2,
  rolledBack: 3,
  refusedByPolicy: 4,
  /** The target could not be reached for management: its side was not inspected or fixed. */
  unreachable: 5,
  interrupted: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
