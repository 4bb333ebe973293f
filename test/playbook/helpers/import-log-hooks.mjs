// Module resolve hook (runs on the loader thread): appends each resolved URL to a log file.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.PSREMEDY_IMPORT_LOG) appendFileSync(process.env.PSREMEDY_IMPORT_LOG, `${result.url}\n`);
  return result;
}
