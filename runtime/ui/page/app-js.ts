// The web view's script: plain browser JavaScript (no framework, no build step). It follows the station list over
// Server-Sent Events, opens the chosen station's message stream, and sends commands as JSON. Text only ever goes in
// through textContent: what a station sends is never read as HTML.
// Written without template literals: this file is itself a template literal.
export const APP_JS = String.raw`'use strict';
(function () {
  /** Messages shown for the chosen station: the oldest go first, as on the server. */
  var MAX_MESSAGES = 200;
  var $ = function (id) { return document.getElementById(id); };
  var stations = new Map();
  var chosen = null;
  var stream = null;

  function pad(n, w) { return String(n).padStart(w || 2, '0'); }
  function clock(iso) {
    var d = new Date(iso);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }
  function compact(value) {
    var text = JSON.stringify(value);
    if (text === undefined) text = String(value);
    return text.length > 2000 ? text.slice(0, 1999) + '…' : text;
  }

  /** "→ StatusNotification {…}", "← StatusNotificationResponse {…}", "← Reset CALLERROR …": as the CLI's log. */
  function messageText(m) {
    var arrow = m.travel === 'toCsms' ? '→' : '←';
    var name = m.action || '(message ' + m.messageId + ')';
    if (m.kind === 'call') return arrow + ' ' + name + ' ' + compact(m.payload);
    if (m.kind === 'result') return arrow + ' ' + name + 'Response ' + compact(m.payload);
    if (m.kind === 'error') {
      var e = m.payload || {};
      return arrow + ' ' + name + ' CALLERROR ' + e.errorCode + (e.errorDescription ? ': ' + e.errorDescription : '');
    }
    return arrow + ' unreadable: ' + String(m.payload);
  }

  function evseText(e) {
    var statuses = e.connectors.map(function (c) {
      return (e.connectors.length > 1 ? 'connector ' + c.id + ' ' : '') + (c.status || 'status not reported yet');
    });
    var parts = ['EVSE ' + e.id + ': ' + statuses.join(', ')];
    if (e.cable) parts.push('cable ' + e.cable);
    if (e.faulted) parts.push('faulted');
    if (e.transactionId !== undefined) parts.push('transaction ' + e.transactionId);
    if (e.energyWh !== undefined) parts.push((e.energyWh / 1000).toFixed(3) + ' kWh');
    if (e.powerW !== undefined) parts.push(e.powerW + ' W');
    return parts.join(', ');
  }

  function stationText(s) {
    return (s.connected ? 'connected' : 'not connected') + (s.version ? ' (' + s.version + ')' : '') +
      (s.registration ? ', registration ' + s.registration : '');
  }

  /** The list item of each station, kept across updates: a button that has the focus keeps it. */
  var items = new Map();

  function renderList() {
    $('no-stations').hidden = stations.size > 0;
    items.forEach(function (li, identity) {
      if (!stations.has(identity)) { li.remove(); items.delete(identity); }
    });
    stations.forEach(renderItem);
  }

  /** One station's item: a change touches only its own (a fleet posts thousands of changes a minute). */
  function renderItem(s) {
    var li = items.get(s.identity);
    if (!li) {
      li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = s.identity;
      button.addEventListener('click', function () { choose(s.identity); });
      var lines = document.createElement('span');
      li.append(button, lines);
      items.set(s.identity, li);
      $('stations').append(li);
      $('no-stations').hidden = true;
    }
    li.firstElementChild.setAttribute('aria-pressed', String(s.identity === chosen));
    var details = document.createElement('span');
    details.className = 'details' + (s.connected ? '' : ' offline');
    details.textContent = stationText(s);
    var parts = [details];
    s.evses.forEach(function (e) {
      var line = document.createElement('span');
      line.className = 'details';
      line.textContent = evseText(e);
      parts.push(line);
    });
    li.lastElementChild.replaceChildren.apply(li.lastElementChild, parts);
  }

  function renderDetail() {
    var s = chosen === null ? undefined : stations.get(chosen);
    $('detail').hidden = s === undefined;
    if (!s) return;
    $('detail-heading').textContent = s.identity + ' — ' + stationText(s);
    var summary = $('summary');
    summary.replaceChildren();
    s.evses.forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = evseText(e);
      summary.append(li);
    });
  }

  function addMessage(m) {
    var list = $('messages');
    var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    var li = document.createElement('li');
    li.className = m.travel + (m.kind === 'error' || m.kind === 'unreadable' ? ' error' : '');
    li.dataset.seq = String(m.seq);
    li.textContent = clock(m.time) + ' ' + messageText(m);
    list.append(li);
    while (list.children.length > MAX_MESSAGES) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function choose(identity) {
    if (stream) stream.close();
    chosen = identity;
    $('messages').replaceChildren();
    $('result').textContent = '';
    $('error').textContent = '';
    renderList();
    renderDetail();
    stream = new EventSource('/api/stations/' + encodeURIComponent(identity) + '/stream');
    stream.addEventListener('message', function (ev) { addMessage(JSON.parse(ev.data)); });
    stream.addEventListener('station', function (ev) {
      var s = JSON.parse(ev.data);
      stations.set(s.identity, s);
      renderDetail();
    });
  }

  function send(line) {
    if (chosen === null) return;
    $('result').textContent = '';
    $('error').textContent = '';
    fetch('/api/stations/' + encodeURIComponent(chosen) + '/commands', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ line: line }),
    })
      .then(function (res) { return res.json(); })
      .then(function (r) {
        if (r.ok) $('result').textContent = [r.output].concat(r.warnings.map(function (w) { return 'warning: ' + w; })).join('\n');
        else $('error').textContent = r.error;
      })
      .catch(function (e) { $('error').textContent = 'the server did not answer: ' + e.message; });
  }

  function start() {
    fetch('/api/info').then(function (res) { return res.json(); }).then(function (i) {
      $('title').textContent = 'ocppkit ' + i.kind;
      document.title = 'ocppkit ' + i.kind;
      $('hardware').hidden = i.capabilities.indexOf('hardware') < 0;
      $('csms-call').hidden = i.capabilities.indexOf('csmsCall') < 0;
    });
    document.querySelectorAll('#hardware button').forEach(function (b) {
      b.addEventListener('click', function () {
        var op = b.dataset.op;
        var evse = $('evse').value.trim();
        if (op !== 'auth') return send(op + ' ' + evse);
        var token = $('id-token').value.trim();
        // Without a token the EVSE would be read as the token: the station's own error says what is missing.
        send(token === '' ? 'auth' : 'auth ' + token + ' ' + evse);
      });
    });
    $('csms-call').addEventListener('submit', function (ev) {
      ev.preventDefault();
      send($('action').value.trim() + ' ' + $('payload').value);
    });
    var events = new EventSource('/api/events');
    events.addEventListener('open', function () { $('link').textContent = 'live'; });
    events.addEventListener('error', function () { $('link').textContent = 'connection lost: reconnecting…'; });
    events.addEventListener('stations', function (ev) {
      stations = new Map();
      JSON.parse(ev.data).forEach(function (s) { stations.set(s.identity, s); });
      renderList();
      renderDetail();
    });
    events.addEventListener('station', function (ev) {
      var s = JSON.parse(ev.data);
      stations.set(s.identity, s);
      renderItem(s);
      if (s.identity === chosen) renderDetail();
    });
    events.addEventListener('removed', function (ev) {
      stations.delete(JSON.parse(ev.data).identity);
      renderList();
    });
  }

  start();
})();
`;
