// The activity-core console: reads the JSON API, writes nothing. Data is put in the page with
// textContent only, never as HTML. The API token, when one is required, is kept in sessionStorage.
(function () {
  'use strict';
  var TOKEN_KEY = 'activity-core.api-token';
  var PAGE_SIZE = 25;
  var tokenRequired = document.querySelector('meta[name="activity-core-token-required"]').content === 'true';
  var state = { overview: null, cursors: [null], page: 0, nextCursor: null };
  var $ = function (id) {
    return document.getElementById(id);
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function when(iso) {
    return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '—';
  }
  function modeName(sinkType) {
    return sinkType === 'rest' ? 'live' : 'dry-run';
  }
  function safeHref(url) {
    return /^https?:\/\//i.test(url || '') ? url : null;
  }

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }
  function api(path) {
    var headers = { Accept: 'application/json' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (!res.ok) throw new ApiError(res.status, [].concat(body.message || res.statusText).join('; '));
          return body;
        });
    });
  }

  function askForToken(message) {
    $('content').hidden = true;
    $('token-form').hidden = false;
    $('token-message').textContent = message || '';
    $('token-input').focus();
  }
  function showError(error) {
    if (error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken('The token was refused. ' + error.message);
      return;
    }
    $('load-error').hidden = false;
    $('load-error').textContent = error instanceof ApiError ? error.message : 'The console could not load: ' + String((error && error.message) || error);
  }

  function countsCell(counts) {
    var keys = Object.keys(counts).sort();
    if (keys.length === 0) return el('td', { class: 'counts', text: '0' });
    return el(
      'td',
      { class: 'counts' },
      keys.map(function (status) {
        return el('span', { class: 'status-' + status, 'data-status': status, text: status + ' ' + counts[status] });
      }),
    );
  }
  function triggerText(trigger) {
    if (trigger.kind === 'event') return 'event ' + trigger.type;
    var next = trigger.next_tick
      ? 'next ' + when(trigger.next_tick)
      : 'next tick unknown' + (trigger.schedule_error ? ' (' + trigger.schedule_error + ')' : '');
    return 'cron "' + trigger.cron + '" ' + trigger.timezone + ', ' + next;
  }

  function renderRules(overview) {
    var body = $('rules').tBodies[0];
    clear(body);
    overview.rules.forEach(function (rule) {
      var row = el('tr', { class: 'clickable', 'data-rule': rule.key, title: "Show this rule's chart and decisions" }, [
        el('td', { text: rule.key }),
        el('td', { class: 'trigger', text: triggerText(rule.trigger) }),
        el('td', { text: rule.enabled ? 'yes' : 'no' }),
        el('td', {}, [el('span', { class: 'badge mode-' + rule.mode, text: rule.mode })]),
        el('td', { title: rule.hash, text: rule.hash.replace(/^sha256:/, '').slice(0, 12) }),
        countsCell(rule.counts.last_24h),
        countsCell(rule.counts.last_7d),
      ]);
      row.addEventListener('click', function () {
        $('chart-rule').value = rule.key;
        $('filter-rule').value = rule.key;
        loadChart();
        resetDecisions();
      });
      body.appendChild(row);
    });
    var refused = $('refused');
    clear(refused);
    overview.refused.forEach(function (error) {
      refused.appendChild(el('li', {}, [el('code', { text: error.file }), ' ', el('strong', { text: error.field }), ': ' + error.reason]));
    });
    $('refused-block').hidden = overview.refused.length === 0;
  }

  function renderWaiting(overview) {
    var body = $('waiting').tBodies[0];
    clear(body);
    var rows = overview.held.concat(overview.failed);
    rows.forEach(function (item) {
      var why = item.error || (item.status === 'pending' ? 'waiting for its workflow to run' : '');
      var row = el('tr', { class: 'clickable', 'data-id': item.id, 'data-status': item.status }, [
        el('td', { text: when(item.created_at) }),
        el('td', { text: item.source_id }),
        el('td', { class: 'status-' + item.status, text: item.status === 'pending' ? 'held (pending)' : item.status }),
        el('td', { text: modeName(item.sink_type) }),
        el('td', { text: String(item.attempts) }),
        el('td', { class: 'why', text: why }),
      ]);
      row.addEventListener('click', function () {
        openDecision(item.id);
      });
      body.appendChild(row);
    });
    $('waiting-empty').hidden = rows.length > 0;
  }

  function fillSelect(select, values, labels) {
    var current = select.value;
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (value, i) {
      select.appendChild(el('option', { value: value, text: labels ? labels[i] : value }));
    });
    if (values.indexOf(current) >= 0) select.value = current;
  }

  function renderChart(chart) {
    var box = $('chart');
    clear(box);
    var bars = chart.bars;
    var max = Math.max(
      1,
      Math.max.apply(
        null,
        bars.map(function (b) {
          return b.dry_run + b.live;
        }),
      ),
    );
    var W = 720,
      H = 200,
      top = 18,
      bottom = 22,
      left = 28,
      slot = (W - left) / bars.length,
      width = Math.max(2, slot * 0.7);
    var ns = 'http://www.w3.org/2000/svg';
    function svg(tag, attrs, text) {
      var node = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (name) {
        node.setAttribute(name, attrs[name]);
      });
      if (text !== undefined) node.textContent = text;
      return node;
    }
    var root = svg('svg', {
      'data-rule': chart.key,
      'data-range': chart.range,
      viewBox: '0 0 ' + W + ' ' + H,
      role: 'img',
      'aria-label': 'Decisions of ' + chart.key + ' per ' + (chart.range === '24h' ? 'hour' : 'day'),
    });
    root.appendChild(svg('text', { x: 0, y: 12 }, String(max)));
    root.appendChild(svg('text', { x: 0, y: H - bottom }, '0'));
    var scale = (H - top - bottom) / max;
    bars.forEach(function (bar, i) {
      var x = left + i * slot + (slot - width) / 2;
      var g = svg('g', { class: 'bar', 'data-start': bar.start, 'data-dry-run': bar.dry_run, 'data-live': bar.live });
      var dryH = bar.dry_run * scale,
        liveH = bar.live * scale,
        base = H - bottom;
      g.appendChild(svg('rect', { class: 'seg-dry', x: x, y: base - dryH, width: width, height: dryH }));
      g.appendChild(svg('rect', { class: 'seg-live', x: x, y: base - dryH - liveH, width: width, height: liveH }));
      var marks = [
        ['failed', 'm-failed'],
        ['invalid', 'm-failed'],
        ['pending', 'm-held'],
        ['suppressed', 'm-suppressed'],
      ];
      var markY = base - dryH - liveH - 6;
      marks.forEach(function (mark) {
        var n = bar.by_status[mark[0]] || 0;
        if (!n) return;
        g.appendChild(svg('circle', { class: 'mark ' + mark[1], 'data-status': mark[0], 'data-count': n, cx: x + width / 2, cy: markY, r: 3.5 }));
        markY -= 8;
      });
      var label = chart.range === '24h' ? bar.start.slice(11, 13) : bar.start.slice(5, 10);
      if (chart.range === '7d' || i % 3 === 0) g.appendChild(svg('text', { x: x, y: H - 6 }, label));
      g.appendChild(
        svg(
          'title',
          {},
          when(bar.start) +
            ': dry-run ' +
            bar.dry_run +
            ', live ' +
            bar.live +
            Object.keys(bar.by_status)
              .map(function (s) {
                return ', ' + s + ' ' + bar.by_status[s];
              })
              .join(''),
        ),
      );
      root.appendChild(g);
    });
    box.appendChild(root);
  }

  function loadChart() {
    var key = $('chart-rule').value;
    if (!key) {
      clear($('chart'));
      return Promise.resolve();
    }
    return api('/console/api/rules/' + encodeURIComponent(key) + '/chart?range=' + $('chart-range').value).then(renderChart, showError);
  }

  function decisionsQuery() {
    var params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    [
      ['source_id', 'filter-rule'],
      ['status', 'filter-status'],
      ['sink_type', 'filter-mode'],
    ].forEach(function (pair) {
      if ($(pair[1]).value) params.set(pair[0], $(pair[1]).value);
    });
    var cursor = state.cursors[state.page];
    if (cursor) params.set('cursor', cursor);
    return '/spawn-log?' + params.toString();
  }
  function resetDecisions() {
    state.cursors = [null];
    state.page = 0;
    return loadDecisions();
  }
  function loadDecisions() {
    return api(decisionsQuery()).then(function (page) {
      var body = $('decisions').tBodies[0];
      clear(body);
      page.items.forEach(function (item) {
        var row = el('tr', { class: 'clickable', 'data-id': item.id }, [
          el('td', { text: when(item.created_at) }),
          el('td', { text: item.source_id }),
          el('td', { class: 'status-' + item.status, text: item.status }),
          el('td', { text: modeName(item.sink_type) }),
          el('td', { text: item.task_ref || '—' }),
          el('td', { text: item.triggering_event_id }),
        ]);
        row.addEventListener('click', function () {
          openDecision(item.id);
        });
        body.appendChild(row);
      });
      state.nextCursor = page.next_cursor;
      $('page-older').disabled = !page.next_cursor;
      $('page-newer').disabled = state.page === 0;
    }, showError);
  }

  function field(list, name, value) {
    list.appendChild(el('dt', { text: name }));
    list.appendChild(
      value instanceof Node
        ? el('dd', { 'data-field': name }, [value])
        : el('dd', { 'data-field': name, text: value === null || value === undefined || value === '' ? '—' : String(value) }),
    );
  }
  function openDecision(id) {
    return api('/spawn-log/' + encodeURIComponent(id)).then(function (row) {
      var list = $('detail-fields');
      clear(list);
      var overview = state.overview;
      var issueHref = safeHref(row.task_url);
      var ui = overview && overview.temporal.ui_url;
      field(list, 'id', row.id);
      field(list, 'rule', row.source_id + ' (definition ' + row.activity_definition_id + ', ' + row.definition_hash + ')');
      field(list, 'status', row.status);
      field(list, 'mode', modeName(row.sink_type));
      field(list, 'reason', row.reason);
      field(list, 'triggering event', row.triggering_event_id);
      field(list, 'dedupe key', row.dedupe_key);
      field(
        list,
        'reference',
        issueHref ? el('a', { href: issueHref, rel: 'noopener noreferrer', target: '_blank', text: row.task_ref || issueHref }) : row.task_ref,
      );
      field(list, 'backend', row.backend);
      field(
        list,
        'workflow',
        ui
          ? el('a', {
              href: ui + '/namespaces/' + encodeURIComponent(overview.temporal.namespace) + '/workflows/' + encodeURIComponent(row.workflow_id),
              rel: 'noopener noreferrer',
              target: '_blank',
              text: row.workflow_id,
            })
          : row.workflow_id,
      );
      field(list, 'attempts', row.attempts);
      field(list, 'last error', row.error);
      field(list, 'created', when(row.created_at));
      field(list, 'emitted', when(row.emitted_at));
      $('detail-condition').textContent = row.condition;
      $('detail-inputs').textContent = JSON.stringify(row.evaluation, null, 2);
      $('detail-payload').textContent = JSON.stringify(row.task_spec, null, 2);
      $('detail').hidden = false;
      $('detail').scrollIntoView({ block: 'nearest' });
    }, showError);
  }

  function loadAll() {
    $('load-error').hidden = true;
    return api('/console/api/overview').then(function (overview) {
      state.overview = overview;
      $('token-form').hidden = true;
      $('content').hidden = false;
      $('mode-banner').textContent = overview.sink_type === 'rest' ? 'ISSUE_SINK_TYPE=rest' : 'ISSUE_SINK_TYPE=null (dry-run)';
      $('generated').textContent = 'as of ' + when(overview.generated_at);
      renderRules(overview);
      renderWaiting(overview);
      var keys = overview.rules.map(function (r) {
        return r.key;
      });
      fillSelect($('filter-rule'), keys);
      fillSelect($('filter-status'), overview.statuses);
      var chartRule = $('chart-rule'),
        current = chartRule.value;
      clear(chartRule);
      keys.forEach(function (key) {
        chartRule.appendChild(el('option', { value: key, text: key }));
      });
      if (keys.indexOf(current) >= 0) chartRule.value = current;
      return Promise.all([loadChart(), loadDecisions()]);
    }, showError);
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token-input').value);
      $('token-input').value = '';
      loadAll();
    });
    $('refresh').addEventListener('click', loadAll);
    $('chart-rule').addEventListener('change', loadChart);
    $('chart-range').addEventListener('change', loadChart);
    ['filter-rule', 'filter-status', 'filter-mode'].forEach(function (id) {
      $(id).addEventListener('change', resetDecisions);
    });
    $('page-older').addEventListener('click', function () {
      state.cursors[state.page + 1] = state.nextCursor;
      state.page += 1;
      loadDecisions();
    });
    $('page-newer').addEventListener('click', function () {
      state.page = Math.max(0, state.page - 1);
      loadDecisions();
    });
    $('detail-close').addEventListener('click', function () {
      $('detail').hidden = true;
    });
    if (tokenRequired && !sessionStorage.getItem(TOKEN_KEY)) askForToken();
    else loadAll();
  });
})();
