// The virtual terminal's stylesheet: a card terminal's screen, phone-sized first (390 px), big
// touch targets, the green button to charge. Served from 'self' (the page's CSP has no inline
// styles).
export const TERMINAL_CSS = `
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;padding:12px;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#e6eaf1;color:#1c2333;line-height:1.4}
.card{max-width:420px;margin:0 auto;background:#1c2333;border-radius:28px;padding:12px}
.terminal{background:#fff;border-radius:18px;padding:16px;min-height:560px}
.top{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0 0 12px;font-weight:700}
.badge{font-size:12px;font-weight:600;background:#fff4d6;color:#6b4a00;padding:4px 8px;border-radius:999px;text-align:right}
h1{font-size:24px;margin:8px 0 12px}
h1:focus{outline:none}
.outcome-ok h1{color:#1a7f37}
.outcome-bad h1{color:#b3261e}
.outcome-ok,.outcome-bad{border-top:8px solid;border-radius:4px;padding-top:4px}
.outcome-ok{border-color:#1a7f37}
.outcome-bad{border-color:#b3261e}
.amount{font-size:38px;font-weight:800;margin:8px 0;overflow-wrap:anywhere}
.amount:empty{display:none}
.description{font-size:18px;color:#3d4659}
.label{margin:16px 0 4px;font-weight:700}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:40px;font-weight:800;letter-spacing:6px;margin:0;padding:12px;background:#eef2f8;border-radius:10px;text-align:center;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:16px 0}
dt{font-weight:700}
dd{margin:0;overflow-wrap:anywhere}
fieldset{border:1px solid #c9d1df;border-radius:10px;margin:12px 0;padding:4px 12px 8px}
legend{font-weight:700;padding:0 4px}
.choice{display:flex;align-items:center;gap:12px;min-height:48px;padding:6px 0;border-bottom:1px solid #eef1f6;font-size:16px;cursor:pointer}
.choice:last-child{border-bottom:0}
.choice input{width:24px;height:24px;flex:none;margin:0}
button{display:block;width:100%;margin-top:16px;min-height:56px;padding:12px;font-size:18px;font-weight:700;border-radius:12px;border:0;cursor:pointer}
button.go{background:#1a7f37;color:#fff;min-height:72px;font-size:24px}
button.secondary{background:#e7ebf3;color:#1c2333}
button:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}
button[disabled]{opacity:.7;cursor:wait}
.error{background:#fdecea;color:#8a1c12;padding:10px;border-radius:8px;margin:12px 0}
.warning{background:#fff4d6;color:#5c3f00;padding:10px;border-radius:8px}
.note{color:#4a5468;font-size:14px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
footer{text-align:center;color:#4a5468;font-size:13px;margin-top:12px}
footer a{color:#2b3445;display:inline-block;padding:8px 4px}
`;
