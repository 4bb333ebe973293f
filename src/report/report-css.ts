/** The report's stylesheet, inlined so the HTML file stands alone; it also lays out for print. */
export const REPORT_CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;background:#f6f8fa;color:#1f2328}main{max-width:1100px;margin:0 auto;padding:24px}
header{border-left:6px solid var(--muted);padding:8px 16px;background:#fff;margin-bottom:16px}
header.outcome-ok,header.outcome-changed{border-color:var(--ok)}header.outcome-problemsRemain,header.outcome-crashed{border-color:var(--bad)}
header.outcome-rolledBack,header.outcome-cancelled{border-color:var(--warn)}
.who{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0 4px}.who dt{color:var(--muted);font-size:12px}.who dd{margin:0;font-weight:600}
.alert{background:#ffebe9;border:1px solid var(--bad);padding:8px 12px;border-radius:6px}.remaining{color:var(--bad);font-weight:600}
h1{margin:0 0 4px;font-size:1.5em}.outcome{font-size:1.2em;font-weight:600;margin:4px 0}h3{margin:12px 0 6px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:16px 0}
#summary{border-width:2px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line);overflow-wrap:break-word}th{white-space:nowrap}
.num{white-space:nowrap}.next,.undo{margin-top:4px;font-size:13px}.undo code,.next{color:#1f2328}
ul.state{margin:0;padding-left:0;list-style:none;font-size:13px}
.facts th{width:220px;color:var(--muted);font-weight:500}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px;font-size:12px}
.diff{display:grid;grid-template-columns:1fr 1fr;gap:12px}.change{border-top:1px solid var(--line);padding-top:8px}
.tag{display:inline-block;padding:0 6px;border-radius:10px;background:#eaeef2;font-size:12px;white-space:nowrap}
.status-kept .tag,.st-changed .tag,.st-ok .tag{background:#dafbe1}.st-failed .tag,.st-timedOut .tag,.status-rollbackFailed .tag,.status-revertUnverified .tag{background:#ffebe9}
.status-rolledBack .tag,.st-rolledBack .tag,.v-found .tag{background:#fff8c5}
.fate-cleared{background:#dafbe1}.fate-remains{background:#ffebe9}
.bar{display:inline-block;width:120px;height:8px;background:#eaeef2;border-radius:4px;vertical-align:middle}
.bar span{display:block;height:100%;width:var(--pct);background:var(--bad);border-radius:4px}
.by,.sub,.agree,time{color:var(--muted);font-size:12px}.timeline{list-style:none;padding-left:0}
.timeline li{padding:2px 0;border-left:2px solid var(--line);padding-left:10px}time{display:inline-block;min-width:64px}
.ev-rollback-start,.ev-undo-end{border-color:var(--warn)!important}.ev-intent,.ev-applied{border-color:var(--ok)!important}
@media (max-width:900px){main{padding:12px}.diff{grid-template-columns:1fr}.facts th{width:auto}.bar{width:60px}}
@media print{body{background:#fff}main{max-width:none;padding:0}section,header{border:none;padding:0;margin:12px 0}
#summary,.change,tr{break-inside:avoid}pre{max-height:none;overflow:visible;white-space:pre-wrap}
.tag,.alert,.fate-cleared,.fate-remains{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;
