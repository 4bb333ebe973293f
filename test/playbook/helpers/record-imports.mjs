// Loaded with `node --import`: logs every module URL the program resolves to $PSREMEDY_IMPORT_LOG.
import { register } from 'node:module';

register('./import-log-hooks.mjs', import.meta.url);
