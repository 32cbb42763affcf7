// The web view's style: readable on a laptop and a phone, no web fonts, nothing fetched.
export const STYLE_CSS = String.raw`[hidden] { display: none !important; }
:root { font-family: system-ui, sans-serif; color: #1b1b1b; background: #fafafa; }
body { margin: 0 auto; max-width: 80rem; padding: 0.5rem 1rem; }
header { display: flex; align-items: baseline; gap: 1rem; }
h1 { font-size: 1.3rem; margin: 0.5rem 0; }
h2 { font-size: 1.1rem; margin: 0.75rem 0 0.25rem; }
h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
main { display: grid; grid-template-columns: minmax(14rem, 1fr) 3fr; gap: 1rem; }
@media (max-width: 50rem) { main { grid-template-columns: 1fr; } }
ul, ol { padding-left: 0; list-style: none; margin: 0; }
#stations li { padding: 0.3rem 0; border-bottom: 1px solid #ddd; }
#stations button { font-weight: 600; }
#stations button[aria-pressed="true"] { background: #1b4f8a; color: #fff; }
.details { display: block; font-size: 0.85rem; color: #444; }
.offline { color: #9a1c1c; }
form { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin: 0.5rem 0; }
textarea, input, button { font: inherit; }
textarea { font-family: ui-monospace, monospace; }
#error { color: #9a1c1c; white-space: pre-wrap; }
#result { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.85rem; }
#messages { font-family: ui-monospace, monospace; font-size: 0.8rem; max-height: 60vh; overflow-y: auto;
  border: 1px solid #ccc; background: #fff; padding: 0.25rem; }
#messages li { white-space: pre-wrap; word-break: break-all; padding: 0.1rem 0; border-bottom: 1px solid #f0f0f0; }
#messages li.toStation { color: #1b4f8a; }
#messages li.error { color: #9a1c1c; }
`;
