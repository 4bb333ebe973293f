#!/usr/bin/env node
// `psremedy ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
// A clone has no dist/ until `npm run build` (the packed package ships it, built by prepack).
const main = await import('../dist/cli/main.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js'))
    throw error;
  process.stderr.write(
    `psremedy: ${new URL('../dist/', import.meta.url).pathname} is missing; in a clone, run \`npm run build\` first\n`,
  );
  process.exit(2);
});

process.exitCode = await main.main(process.argv);
