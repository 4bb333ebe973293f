/** A commander parser for repeatable comma lists: `--x a,b --x c` -> [a, b, c]. */
export const commaList = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
