import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One figure a benchmark reports; a ratio is printed when it names a baseline from the same run. */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  baselineName?: string;
  baselineValue?: number;
  /** The goal for value/baselineValue, printed next to the ratio. */
  goalRatio?: number;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);

/** Runs every bench/<area>.ts (or those named on the command line) and prints figures and ratios. */
async function runBenchmarks(): Promise<void> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as {
      default?: () => Promise<BenchLine[]>;
    };
    if (typeof mod.default !== 'function') continue;
    console.log(`\n## ${file.replace(/\.ts$/, '')}`);
    for (const line of await mod.default()) console.log(formatLine(line));
  }
}

function formatLine(l: BenchLine): string {
  const value = `${l.name}: ${round(l.value)} ${l.unit}`;
  if (l.baselineValue === undefined || !l.baselineName) return value;
  const ratio = l.value / l.baselineValue;
  const goal =
    l.goalRatio === undefined ? '' : ` (goal <= ${l.goalRatio}x: ${ratio <= l.goalRatio ? 'met' : 'MISSED'})`;
  return `${value} vs ${l.baselineName} ${round(l.baselineValue)} ${l.unit} = ${ratio.toFixed(3)}x${goal}`;
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

await runBenchmarks();
