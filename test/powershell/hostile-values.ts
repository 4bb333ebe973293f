/** Parameter values that break naive quoting or JSON, each expected back byte for byte. */
export const HOSTILE_STRINGS: Record<string, string> = {
  apostrophe: "O'Brien",
  injection: '"; Remove-Item -Recurse / #',
  quotedInjection: "'; $global:psremedyInjected = 'single'; '",
  subexpression: '$(Get-Date)',
  subexpressionCanary: '$($global:psremedyInjected = "subexpression")',
  backtickN: '`n',
  newlines: 'line one\nline two\r\nline three\r',
  nul: 'before\u0000after',
  emoji: '🧯🔥 fire 👩🏽‍💻',
  rightToLeft: 'مرحبا بالعالم \u200fשלום',
  isoDate: '2024-01-02T03:04:05Z',
  isoDateWithOffset: '2024-01-02T03:04:05.1234567+02:00',
  shortDate: '2024-01-02',
  msDate: '/Date(1700000000000)/',
  escapedMsDate: '\\/Date(1700000000000)\\/',
  tilde: '~starts with the wire prefix',
  empty: '',
};

/** Non-string values and the .NET type PowerShell should see. */
export const HOSTILE_VALUES: { name: string; value: unknown; type: string }[] = [
  { name: 'null', value: null, type: 'null' },
  { name: 'true', value: true, type: 'System.Boolean' },
  { name: 'false', value: false, type: 'System.Boolean' },
  { name: 'int above 2^31', value: 3_000_000_000, type: 'System.Int64' },
  { name: 'int below -2^31', value: -2_147_483_649, type: 'System.Int64' },
  { name: 'max safe integer', value: Number.MAX_SAFE_INTEGER, type: 'System.Int64' },
  { name: 'fraction', value: 1.5, type: 'System.Double' },
  {
    name: 'nested objects and arrays',
    value: {
      a: [1, 'two', { three: [null, true, false] }],
      b: { c: { d: 'deep' } },
      single: ['only'],
      empty: [],
      none: {},
    },
    type: 'System.Collections.Hashtable',
  },
  { name: 'array of strings', value: ['x', "O'Brien", '$(Get-Date)'], type: 'System.Object[]' },
  { name: 'single-element array', value: ['only'], type: 'System.Object[]' },
];

/** About 1 MB of mixed-width UTF-8. */
export const ONE_MEGABYTE = 'Ünïcødé🧯 ascii, "quotes", \'apostrophes\' $(x) `n\n'.repeat(21_000);

/** Echoes its parameter and the type PowerShell bound, as data. */
export const ECHO_SCRIPT = `param($Value)
$type = 'null'
if ($null -ne $Value) { $type = $Value.GetType().FullName }
[pscustomobject]@{ value = $Value; type = $type; length = $(if ($Value -is [string]) { $Value.Length } else { -1 }) }
`;

/** Reads the canary that the injection strings would set if they were ever executed. */
export const CANARY_SCRIPT =
  'if ($null -eq $global:psremedyInjected) { "clean" } else { $global:psremedyInjected }';
