/** Step marks (src/report/step-marks.ts) in colour, for the terminal. */
import { type MarkTone, STEP_MARKS, type StepVerdict } from '../report/step-marks.js';
import type { Colors } from './colors.js';

/** Text in the colour of a mark's tone. */
export function paintTone(tone: MarkTone, text: string, c: Colors): string {
  if (tone === 'good') return c.green(text);
  if (tone === 'warn') return c.bold(c.yellow(text));
  if (tone === 'changed') return c.yellow(text);
  if (tone === 'quiet') return c.dim(text);
  if (tone === 'bad') return c.bold(c.red(text));
  return text;
}

/** A step's mark symbol, coloured. */
export function formatMark(verdict: StepVerdict, c: Colors): string {
  const mark = STEP_MARKS[verdict];
  return paintTone(mark.tone, mark.symbol, c);
}
