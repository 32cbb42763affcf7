// The web view's page: plain HTML, its script and style from the same server (no inline code: the CSP forbids
// it), controls that are buttons and inputs with labels, so that a screen reader and a test find them by role.
export const INDEX_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ocppkit</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1 id="title">ocppkit</h1>
  <p id="link" role="status" aria-live="polite">connecting…</p>
</header>
<main>
  <section id="list" aria-labelledby="stations-heading">
    <h2 id="stations-heading">Stations</h2>
    <p id="no-stations">No station yet.</p>
    <ul id="stations" aria-labelledby="stations-heading"></ul>
  </section>
  <section id="detail" aria-labelledby="detail-heading" hidden>
    <h2 id="detail-heading">Station</h2>
    <ul id="summary" aria-label="Connectors"></ul>
    <form id="hardware" aria-label="Simulated hardware" hidden>
      <label for="evse">EVSE</label>
      <input id="evse" name="evse" value="1" inputmode="numeric" size="3" autocomplete="off">
      <button type="button" data-op="plug">Plug</button>
      <button type="button" data-op="unplug">Unplug</button>
      <button type="button" data-op="fault">Fault</button>
      <button type="button" data-op="clear">Clear fault</button>
      <label for="id-token">idToken</label>
      <input id="id-token" name="idToken" value="CARD-0001" size="16" autocomplete="off">
      <button type="button" data-op="auth">Present card</button>
    </form>
    <form id="csms-call" aria-label="CSMS call" hidden>
      <label for="action">Action</label>
      <input id="action" name="action" placeholder="Reset" size="24" autocomplete="off">
      <label for="payload">Payload (JSON)</label>
      <textarea id="payload" name="payload" rows="3" cols="60">{}</textarea>
      <button type="submit">Send call</button>
    </form>
    <p id="result" role="status" aria-live="polite"></p>
    <p id="error" role="alert"></p>
    <h3 id="messages-heading">Messages</h3>
    <ol id="messages" aria-labelledby="messages-heading"></ol>
  </section>
</main>
</body>
</html>
`;
