// Comity operator console: reads /api/v1 with the operator's bearer token and follows the run live over
// server-sent events. No framework and no CDN: everything is served by the coordinator.
'use strict';
(function () {
  const API = '/api/v1';
  const TOKEN_KEY = 'comity.operatorToken';
  const TRAINING_STAGES = ['SELECTING', 'TRAINING', 'AGGREGATING', 'EVALUATING', 'COMMITTED'];
  const STATISTICS_STAGES = ['SELECTING', 'COLLECTING_STATISTICS', 'COMMITTED'];
  const $ = (id) => document.getElementById(id);

  let token = sessionStorage.getItem(TOKEN_KEY);
  let operator = null;
  let source = null;
  let reconnectTimer = null;
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;
  const charts = {};

  // ---- helpers ----

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? '' : String(cell);
      tr.appendChild(td);
    }
    return tr;
  }

  function fill(tableId, rows) {
    const body = $(tableId).querySelector('tbody');
    body.replaceChildren(...rows);
  }

  const fixed = (value, digits) => (value === null || value === undefined) ? '–' : Number(value).toFixed(digits);
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : '–';
  const dateTime = (iso) => iso ? new Date(iso).toLocaleString() : '–';
  const seconds = (millis) => (millis / 1000).toFixed(1) + ' s';

  class Unauthorized extends Error {}

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + path, {
      method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body)
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (response.status === 401) throw new Unauthorized(data && data.error ? data.error : 'unauthorized');
    if (!response.ok) throw new Error(data && data.error ? data.error : 'HTTP ' + response.status);
    return data;
  }

  // Follows the pages of a list route; returns every item and the last page (for extra fields).
  async function everything(path) {
    let items = [];
    let page = null;
    let next = path + (path.includes('?') ? '&' : '?') + 'limit=500';
    while (next) {
      page = await api('GET', next);
      items = items.concat(page.items);
      next = page.next ? page.next.substring(API.length) : null;
    }
    return { items, page };
  }

  // The last n entries of a list route (the audit trail grows without bound: never fetch all of it).
  async function latest(path, n) {
    const head = await api('GET', path + '?limit=1');
    const page = await api('GET', path + '?offset=' + Math.max(0, head.total - n) + '&limit=' + n);
    return { items: page.items, page };
  }

  // ---- login ----

  async function login(candidate) {
    token = candidate;
    try {
      operator = await api('GET', '/whoami');
    } catch (e) {
      token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      $('login-error').textContent = e instanceof Unauthorized ? 'This token is unknown or revoked.' : e.message;
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('login-error').textContent = '';
    $('login-panel').hidden = true;
    $('dashboard').hidden = false;
    $('session').hidden = false;
    $('operator').textContent = operator.name + ' (' + operator.role + ')';
    $('admin-controls').hidden = operator.role !== 'admin';
    initCharts();
    await refresh();
    connect();
    refreshTimer = setInterval(scheduleRefresh, 10000);
  }

  function logout(message) {
    token = null;
    operator = null;
    sessionStorage.removeItem(TOKEN_KEY);
    if (source) source.close();
    source = null;
    clearTimeout(reconnectTimer);
    clearInterval(refreshTimer);
    $('dashboard').hidden = true;
    $('session').hidden = true;
    $('login-panel').hidden = false;
    $('login-error').textContent = message || '';
    $('token').value = '';
  }

  // ---- live updates ----

  function setLive(on) {
    const badge = $('live');
    badge.textContent = on ? 'live' : 'reconnecting';
    badge.className = 'badge ' + (on ? 'on' : 'off');
  }

  // EventSource cannot send the token header: each connection uses a single-use ticket instead.
  async function connect() {
    if (!token) return;
    if (source) source.close();
    source = null;
    try {
      const ticket = await api('POST', '/events/tickets');
      source = new EventSource(API + '/events?ticket=' + encodeURIComponent(ticket.ticket));
    } catch (e) {
      if (e instanceof Unauthorized) { logout('Your token was refused (unknown or revoked).'); return; }
      setLive(false);
      reconnectTimer = setTimeout(connect, 5000);
      return;
    }
    source.onopen = () => { setLive(true); scheduleRefresh(); };
    // The ticket is spent, so the browser's own retry would fail: reconnect with a new ticket instead.
    source.onerror = () => {
      setLive(false);
      if (source) source.close();
      source = null;
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, 3000);
    };
    source.addEventListener('transition', (event) => {
      showTransition(JSON.parse(event.data));
    });
    for (const name of ['round', 'committed', 'run-finished', 'promotion', 'rejected']) {
      source.addEventListener(name, scheduleRefresh);
    }
  }

  function scheduleRefresh() {
    if (refreshing) { refreshAgain = true; return; }
    refresh();
  }

  async function refresh() {
    if (!token) return;
    refreshing = true;
    try {
      const [run, members, rounds, metrics, privacy, models, rejections, audit] = await Promise.all([
        api('GET', '/run'), api('GET', '/members'), everything('/rounds'), everything('/metrics'),
        api('GET', '/privacy'), everything('/models'), api('GET', '/rejections'), latest('/audit', 20)]);
      showRun(run);
      showMembers(members);
      showRounds(rounds.items);
      showMetrics(metrics.items);
      showPrivacy(privacy);
      showModels(models.items, models.page);
      showRejections(rejections);
      showAudit(audit.items);
    } catch (e) {
      if (e instanceof Unauthorized) { logout('Your token was refused (unknown or revoked).'); return; }
      console.warn('refresh failed', e);
    } finally {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; setTimeout(scheduleRefresh, 0); }
    }
  }

  // ---- views ----

  function showRun(run) {
    $('run-id').textContent = run.runId;
    $('run-state').textContent = run.state;
    $('run-state').className = 'badge ' + run.state;
    $('plan-name').textContent = run.planName;
    $('plan-hash').textContent = run.planHash.substring(0, 12);
    $('plan-hash').title = run.planHash;
    $('rounds-done').textContent = run.roundsDone + ' of ' + run.roundsPlanned + ' done (' + run.roundsCommitted
      + ' committed, ' + run.roundsFailed + ' failed)';
    $('members-connected').textContent = run.connectedMembers + ' (start needs ' + run.minMembersToStart + ')';
    $('latest-version').textContent = run.latestVersion === null ? 'none' : 'v' + run.latestVersion;
    $('promoted-version').textContent = run.promotedVersion === null ? 'none' : 'v' + run.promotedVersion;
    const protections = [];
    if (run.secureAggregation) protections.push('secure aggregation');
    if (run.bankLevelPrivacy) protections.push('bank-level DP');
    if (run.sampleLevelPrivacy) protections.push('sample-level DP');
    $('protections').textContent = protections.length ? protections.join(', ') : 'none';
    if (run.currentRound) {
      showStage(run.currentRound.round, run.currentRound.attempt, run.currentRound.stage, run.currentRound.since,
        run.currentRound.deadline);
    } else if (run.state === 'FINISHED') {
      $('current-round').textContent = 'run finished';
      $('stages').replaceChildren();
    } else {
      $('current-round').textContent = run.state === 'WAITING' ? 'waiting for members' : 'between rounds';
      $('stages').replaceChildren();
    }
    $('run-outcome').textContent = run.outcome ? 'Outcome: ' + run.outcome.reason : '';
  }

  function showTransition(transition) {
    if (transition.to === 'COMMITTED' || transition.to === 'FAILED') {
      showStage(transition.round, transition.attempt, transition.to, transition.at);
      scheduleRefresh();
    } else {
      showStage(transition.round, transition.attempt, transition.to, transition.at);
    }
  }

  function showStage(round, attempt, stage, since, deadline) {
    const kind = round === 0 ? 'statistics round' : 'round ' + round;
    $('current-round').textContent = kind + (attempt > 1 ? ' (attempt ' + attempt + ')' : '') + ': ' + stage
      + ' since ' + time(since) + (deadline ? ', deadline ' + time(deadline) : '');
    $('current-round').dataset.round = round;
    $('current-round').dataset.stage = stage;
    const stages = round === 0 ? STATISTICS_STAGES : TRAINING_STAGES;
    const reached = stage === 'FAILED' ? -1 : stages.indexOf(stage);
    $('stages').replaceChildren(...stages.map((name, index) => {
      const cls = index < reached ? 'done' : index === reached ? (name === 'COMMITTED' ? 'done' : 'active') : '';
      return el('li', name.replace('_', ' ').toLowerCase(), cls);
    }));
    if (stage === 'FAILED') $('stages').appendChild(el('li', 'failed', 'active'));
  }

  function showMembers(data) {
    fill('members', data.members.map((m) => {
      const status = el('span');
      status.appendChild(el('span', null, 'dot' + (m.connected ? ' on' : '')));
      status.appendChild(document.createTextNode(m.connected ? 'connected' : m.inSession ? 'silent' : 'not in session'));
      let certificate = '–';
      if (m.certificate) {
        certificate = m.certificate.status === 'REVOKED' ? 'revoked'
          : 'expires ' + new Date(m.certificate.notAfter).toLocaleDateString() + ' (' + m.certificate.daysLeft + ' days)';
      }
      return row([m.id, status, time(m.lastSeen), certificate]);
    }));
  }

  function showRounds(rounds) {
    const latestFirst = rounds.slice(-50).reverse();
    fill('rounds', latestFirst.map((r) => {
      const outcome = el('span', r.outcome, 'badge ' + r.outcome);
      if (r.failureReason) outcome.title = r.failureReason;
      const dropouts = r.dropouts.map((d) => d.member + ' (' + d.reason + ')').join(', ');
      return row([(r.kind === 'statistics' ? 'statistics' : r.round) + (r.attempt > 1 ? ' #' + r.attempt : ''),
        outcome, r.contributors.join(', '), dropouts || '–', fixed(r.metrics.rocAuc, 4), fixed(r.metrics.prAuc, 4),
        seconds(r.wallTimeMillis)]);
    }));
  }

  function initCharts() {
    if (charts.auc) return;
    charts.auc = echarts.init($('chart-auc'));
    charts.loss = echarts.init($('chart-loss'));
    charts.epsilon = echarts.init($('chart-epsilon'));
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  }

  function lineChart(chart, rounds, series, yName, extra) {
    chart.setOption(Object.assign({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 45 },
      xAxis: { type: 'category', name: 'round', nameLocation: 'middle', nameGap: 26, data: rounds },
      yAxis: { type: 'value', name: yName, scale: true },
      series: series.map((s) => Object.assign({ type: 'line', connectNulls: false, showSymbol: true }, s))
    }, extra || {}), true);
  }

  function showMetrics(points) {
    const rounds = points.map((p) => String(p.round) + (p.attempt > 1 ? '#' + p.attempt : ''));
    lineChart(charts.auc, rounds, [
      { name: 'ROC-AUC', data: points.map((p) => p.rocAuc) },
      { name: 'PR-AUC', data: points.map((p) => p.prAuc) },
      { name: 'F1', data: points.map((p) => p.f1) }], '');
    lineChart(charts.loss, rounds, [
      { name: 'validation log-loss', data: points.map((p) => p.logLoss) },
      { name: 'mean training loss', data: points.map((p) => p.meanTrainLoss) }], 'loss');
    // For tests and for a glance: how many rounds have a ROC-AUC point.
    $('chart-auc').dataset.points = points.filter((p) => p.rocAuc !== null).length;
  }

  function showPrivacy(privacy) {
    const bank = privacy.bankLevel;
    const rounds = bank.perRound.map((p) => String(p.round));
    const series = [{ name: 'epsilon spent', data: bank.perRound.map((p) => p.epsilonSpent), areaStyle: { opacity: 0.15 } }];
    if (bank.enabled) {
      series[0].markLine = { symbol: 'none', data: [{ yAxis: bank.targetEpsilon, name: 'budget' }],
        label: { formatter: 'budget ε = ' + bank.targetEpsilon }, lineStyle: { color: '#d64545', type: 'dashed' } };
      $('privacy-summary').textContent = 'Bank-level ε spent ' + fixed(bank.epsilonSpent, 3) + ' of '
        + bank.targetEpsilon + ' (δ = ' + bank.delta + '), ' + fixed(bank.remaining, 3) + ' left.';
    } else {
      $('privacy-summary').textContent = 'Bank-level differential privacy is off in this plan.';
    }
    const byBank = Object.entries(privacy.sampleLevel.epsilonByBank);
    if (privacy.sampleLevel.enabled) {
      $('privacy-summary').textContent += ' Sample-level ε reported by banks: '
        + (byBank.length ? byBank.map(([b, e]) => b + ' ' + fixed(e, 3)).join(', ') : 'none yet') + '.';
    }
    lineChart(charts.epsilon, rounds, series, 'ε', bank.enabled
      ? { yAxis: { type: 'value', name: 'ε', min: 0, max: Math.max(bank.targetEpsilon * 1.1, bank.epsilonSpent || 0) } }
      : undefined);
  }

  function showModels(versions, page) {
    const admin = operator && operator.role === 'admin';
    fill('models', versions.slice().reverse().map((v) => {
      let action = v.promoted ? el('span', 'promoted', 'badge ok') : el('span', '');
      if (admin && !v.promoted) {
        action = el('button', 'Promote', 'secondary promote');
        action.type = 'button';
        action.dataset.version = v.version;
        action.addEventListener('click', () => adminAction('/models/' + v.version + '/promote', 'promoted v' + v.version));
      }
      return row(['v' + v.version, v.round, fixed(v.validation.rocAuc, 4), fixed(v.validation.prAuc, 4),
        v.participants.length, dateTime(v.committedAt), action]);
    }));
    $('rollback').disabled = !page || page.promotions.length === 0;
  }

  async function adminAction(path, done) {
    const reason = $('reason').value.trim();
    if (!reason) {
      $('admin-message').textContent = 'Give a reason first: it goes into the audit trail.';
      $('admin-message').className = 'error';
      return;
    }
    try {
      const result = await api('POST', path, { reason });
      $('admin-message').textContent = (result.action === 'ROLLBACK' ? 'rolled back to v' + result.version : done)
        + ' (audit #' + result.auditSequence + ')';
      $('admin-message').className = 'muted';
      $('reason').value = '';
    } catch (e) {
      if (e instanceof Unauthorized) { logout('Your token was refused (unknown or revoked).'); return; }
      $('admin-message').textContent = e.message;
      $('admin-message').className = 'error';
    }
    scheduleRefresh();
  }

  function showRejections(data) {
    const entries = Object.entries(data.byReason);
    fill('rejections', entries.length ? entries.map(([reason, count]) => row([reason, count])) : [row(['none', ''])]);
  }

  function showAudit(entries) {
    fill('audit', entries.slice().reverse().map((e) => row([e.sequence, dateTime(e.at), e.actor, e.action,
      e.subject, e.details && typeof e.details === 'object' ? (e.details.reason || '') : String(e.details)])));
  }

  // ---- start ----

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const candidate = $('token').value.trim();
      if (candidate) login(candidate);
    });
    $('logout').addEventListener('click', () => logout(''));
    $('rollback').addEventListener('click', () => adminAction('/models/rollback', 'rolled back'));
    if (token) login(token);
  });
})();
