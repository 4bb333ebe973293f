// A stand-in for `pwsh -NoExit -Command -` that speaks psremedy's framing and answers requests by a
// tiny language in the script text, to test what real PowerShell rarely does on cue: crash, hang,
// garble, exit 0 mid-request, flood stderr. FAKE_PWSH_AT_START: exit | silent | garbage.
import { createInterface } from 'node:readline';

const atStart = process.env.FAKE_PWSH_AT_START;
if (atStart === 'exit') {
  process.stderr.write('fake-pwsh: cannot load the engine (simulated)\n');
  process.exit(42);
}

const framed =
  /^\[Console\]::Error\.WriteLine\('(\w+)'\); \[Console\]::Out\.WriteLine\('\w+'\); try \{ (.*) \} finally \{/;

function answer(id, body) {
  return `@@psremedy:${id}:${Buffer.from(JSON.stringify(body)).toString('base64')}\n`;
}

function unwire(value) {
  if (typeof value === 'string') return value.slice(1);
  if (Array.isArray(value)) return value.map(unwire);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwire(v)]));
  return value;
}

/** Returns the stdout text for one command, or null to never answer. */
function handle(command) {
  const args = [...command.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  if (command.startsWith('$global:PsRemedyEnvelopeSource')) return '';
  if (command.startsWith('Get-PsRemedyHello')) {
    if (atStart === 'silent') return 'PS> ';
    return answer(args[0], { ok: true, result: { version: '0.0-fake', edition: 'Fake' } });
  }
  if (!command.startsWith('Invoke-PsRemedyRequest')) return `unknown command: ${command.slice(0, 40)}\n`;
  const [id, b64] = args;
  const request = unwire(JSON.parse(Buffer.from(b64, 'base64').toString('utf8')));
  const begin = `@@psremedy-begin:${id}\n`;
  const [verb, ...rest] = request.script.trim().split(/\s+/);
  switch (verb) {
    case 'crash':
      process.stderr.write(`fatal: simulated crash ${rest.join(' ')}\n`);
      process.exit(Number(rest[0] ?? 3));
      break;
    case 'exit0':
      process.exit(0);
      break;
    case 'hang':
      return null;
    case 'noise':
      process.stderr.write('   \n');
      process.stderr.write('Write-Error: this stderr line must not decide anything\n');
      return `stray stdout before\n${answer(String(Number(id) + 100), { ok: false })}${begin}${answer(id, { ok: true, result: 'fine' })}stray stdout after\n`;
    case 'garbage':
      return `${begin}@@psremedy:${id}:%%%not-base64%%%\n`;
    case 'fail':
      return (
        begin +
        answer(id, {
          ok: false,
          result: 'partial',
          error: { message: 'it broke', type: 'X', scriptStackTrace: 'at <ScriptBlock>, <No file>: line 3' },
        })
      );
    default:
      return begin + answer(id, { ok: true, result: request.params, durationMs: 1 });
  }
}

const lines = createInterface({ input: process.stdin });
let isHung = false;
lines.on('line', (line) => {
  if (isHung || line.trim() === '') return;
  const match = framed.exec(line);
  if (!match) {
    process.stdout.write(`fake-pwsh: unframed line ignored\n`);
    return;
  }
  const [, delimiter, command] = match;
  process.stderr.write(`${delimiter}\n`);
  process.stdout.write(`${delimiter}\n`);
  const out = handle(command);
  if (out === null) {
    isHung = true;
    return;
  }
  if (atStart === 'garbage' && command.startsWith('Get-PsRemedyHello'))
    process.stdout.write('\u0000\u0001garbage\n');
  process.stdout.write(out);
  process.stderr.write(`${delimiter}\n`);
  process.stdout.write(`${delimiter}\n`);
});
