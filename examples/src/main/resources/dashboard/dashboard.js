/*
 * Huddle's dashboard: polls /api/stats and draws what an operator of the shared cache wants to see.
 * The figures are computed by the pure functions of HuddleDashboard (figures, interval, History),
 * which the browser test calls directly; start() only fetches, renders and charts.
 */
(function (global) {
  'use strict';

  var HISTORY_POINTS = 300; // five minutes at one poll a second

  function percent(share) {
    return share === null || share === undefined || isNaN(share) ? '-' : (100 * share).toFixed(1) + '%';
  }

  function count(n) {
    return n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US');
  }

  function millis(ms) {
    return ms === null || ms === undefined ? '-' : (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) { return 'none'; }
    if (seconds < 120) { return Math.round(seconds) + ' s ago'; }
    if (seconds < 7200) { return Math.round(seconds / 60) + ' min ago'; }
    return Math.round(seconds / 3600) + ' h ago';
  }

  /** The tiles' figures of one /api/stats answer: element id -> {text, value}. */
  function figures(stats) {
    var total = stats.total, upstream = stats.upstream, load = total.loadTimeMillis || {};
    function figure(value, format) { return { value: value, text: format(value) }; }
    return {
      'backend': { value: stats.backend, text: stats.backend },
      'status': { value: stats.health.status, text: stats.health.status },
      'hit-rate': figure(total.hitRate, percent),
      'avoidance-rate': figure(total.upstreamAvoidanceRate, percent),
      'upstream-per-minute': figure(upstream.requestsLastMinute, count),
      'plan': figure(upstream.planPerMinute, count),
      'calls-saved': figure(total.upstreamCallsSaved, count),
      'requests': figure(total.requests, count),
      'upstream-calls': figure(total.upstreamCalls, count),
      'coalesced': figure(total.coalesced, count),
      'stale': figure(total.stale, count),
      'backend-errors': figure(total.backendErrors, count),
      'warm-loads': figure(total.warmLoads, count),
      'prefetches-started': figure(total.prefetchesStarted, count),
      'prefetches-used': figure(total.prefetchesUsed, count),
      'prefetches-unused': figure(total.prefetchesUnused, count),
      'skipped-budget': figure(total.skippedForBudget, count),
      'snapshot-age': figure(stats.snapshot ? stats.snapshot.ageSeconds : null, age),
      'snapshot-entries': figure(stats.snapshot ? stats.snapshot.entries : null, count),
      'load-p50': figure(load.p50, millis),
      'load-p95': figure(load.p95, millis),
      'load-p99': figure(load.p99, millis)
    };
  }

  /** The parts' states of one answer: element id -> state. */
  function states(stats) {
    var health = stats.health;
    return {
      'state-redis': health.redis.state,
      'state-bus': health.bus.state,
      'state-coordinator': health.coordinator.state,
      'state-budget': health.budget.state,
      'state-upstream': health.upstream.state
    };
  }

  /**
   * What happened between two answers: requests per second by outcome, and the hit and avoidance
   * rates of the requests in between (null when there were none).
   */
  function interval(previous, current) {
    var seconds = Math.max(0.001, (Date.parse(current.at) - Date.parse(previous.at)) / 1000);
    var a = previous.total, b = current.total;
    var requests = b.requests - a.requests;
    var hits = b.hits + b.negativeHits - a.hits - a.negativeHits;
    var stale = b.stale - a.stale, coalesced = b.coalesced - a.coalesced, misses = b.misses - a.misses;
    return {
      seconds: seconds,
      requestsPerSecond: requests / seconds,
      hitsPerSecond: hits / seconds,
      stalePerSecond: stale / seconds,
      coalescedPerSecond: coalesced / seconds,
      missesPerSecond: misses / seconds,
      hitRate: requests > 0 ? (hits + stale) / requests : null,
      avoidanceRate: requests > 0 ? (requests - misses) / requests : null
    };
  }

  /** The charts' series: at most `limit` points each, oldest dropped first. */
  function History(limit) {
    this.limit = limit || HISTORY_POINTS;
    this.columns = [[], [], [], [], [], [], [], [], [], []];
  }
  History.prototype.add = function (previous, current) {
    var step = previous ? interval(previous, current) : null;
    var row = [
      Date.parse(current.at) / 1000,
      current.upstream.requestsLastMinute,
      current.upstream.planPerMinute,
      step && step.hitRate !== null ? 100 * step.hitRate : null,
      step && step.avoidanceRate !== null ? 100 * step.avoidanceRate : null,
      step ? step.hitsPerSecond : null,
      step ? step.stalePerSecond : null,
      step ? step.coalescedPerSecond : null,
      step ? step.missesPerSecond : null,
      step ? step.requestsPerSecond : null
    ];
    for (var i = 0; i < row.length; i++) {
      this.columns[i].push(row[i]);
      if (this.columns[i].length > this.limit) { this.columns[i].shift(); }
    }
    return this;
  };
  History.prototype.size = function () { return this.columns[0].length; };
  History.prototype.upstream = function () { return [this.columns[0], this.columns[1], this.columns[2]]; };
  History.prototype.rates = function () { return [this.columns[0], this.columns[3], this.columns[4]]; };
  History.prototype.outcomes = function () {
    return [this.columns[0], this.columns[5], this.columns[6], this.columns[7], this.columns[8]];
  };

  /** The per-kind table's rows. */
  function kindRows(stats) {
    return Object.keys(stats.kinds).sort().map(function (kind) {
      var k = stats.kinds[kind];
      return [kind, count(k.entries), count(k.requests), k.requests > 0 ? percent(k.hitRate) : '-',
        count(k.misses), count(k.stale), count(k.coalesced), count(k.upstreamCalls),
        millis((k.loadTimeMillis || {}).p99)];
    });
  }

  function render(doc, stats) {
    var shown = figures(stats);
    Object.keys(shown).forEach(function (id) {
      var element = doc.getElementById(id);
      if (element) {
        element.textContent = shown[id].text;
        element.setAttribute('data-value', shown[id].value === null || shown[id].value === undefined ? '' : String(shown[id].value));
      }
    });
    doc.getElementById('status').className = 'state ' + stats.health.status;
    var parts = states(stats);
    Object.keys(parts).forEach(function (id) {
      var element = doc.getElementById(id);
      element.textContent = parts[id];
      element.className = 'state ' + parts[id];
    });
    doc.getElementById('updated').textContent = new Date(Date.parse(stats.at)).toLocaleTimeString('en-GB');
    doc.getElementById('updated').setAttribute('data-at', stats.at);
    var body = doc.querySelector('#kinds tbody');
    body.textContent = '';
    kindRows(stats).forEach(function (cells) {
      var tr = doc.createElement('tr');
      cells.forEach(function (cell) {
        var td = doc.createElement('td');
        td.textContent = cell;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function chart(doc, id, title, series, data) {
    var element = doc.getElementById(id);
    var width = Math.max(300, element.clientWidth || 400);
    return new global.uPlot({
      width: width, height: 180, title: '', series: [{}].concat(series),
      axes: [{}, { size: 50 }], legend: { live: false }
    }, data, element);
  }

  function start(doc, fetch, intervalMs) {
    var history = new History(HISTORY_POINTS), previous = null, charts = null;
    var connection = doc.getElementById('connection');
    function makeCharts() {
      if (!global.uPlot) { return null; }
      return {
        upstream: chart(doc, 'chart-upstream', 'upstream', [
          { label: 'requests, last minute', stroke: '#2563eb', width: 2 },
          { label: 'plan', stroke: '#dc2626', dash: [6, 4] }], history.upstream()),
        rates: chart(doc, 'chart-rates', 'rates', [
          { label: 'hit rate', stroke: '#16a34a', width: 2 },
          { label: 'upstream avoided', stroke: '#7c3aed' }], history.rates()),
        outcomes: chart(doc, 'chart-outcomes', 'outcomes', [
          { label: 'hits', stroke: '#16a34a' }, { label: 'stale', stroke: '#ca8a04' },
          { label: 'coalesced', stroke: '#0891b2' }, { label: 'misses', stroke: '#dc2626' }], history.outcomes())
      };
    }
    function poll() {
      fetch('/api/stats', { cache: 'no-store' })
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.json();
        })
        .then(function (stats) {
          history.add(previous, stats);
          previous = stats;
          render(doc, stats);
          if (!charts) { charts = makeCharts(); }
          if (charts) {
            charts.upstream.setData(history.upstream());
            charts.rates.setData(history.rates());
            charts.outcomes.setData(history.outcomes());
          }
          connection.textContent = 'live';
          connection.className = 'state live';
        })
        .catch(function (error) {
          connection.textContent = 'lost: ' + error.message;
          connection.className = 'state lost';
        })
        .then(function () { global.setTimeout(poll, intervalMs); });
    }
    poll();
  }

  var api = { figures: figures, states: states, interval: interval, History: History, kindRows: kindRows,
    percent: percent, count: count, millis: millis, age: age, render: render, start: start };
  global.HuddleDashboard = api;
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; }
})(typeof window !== 'undefined' ? window : globalThis);
