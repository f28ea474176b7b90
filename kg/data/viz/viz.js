/* kg viz: a force-directed SVG view of a kg build, with search, filters and evidence.
 * Written for kg (MIT); no third-party code, nothing loaded from the network.
 * The layout is a small velocity-Verlet force simulation in the manner of d3-force:
 * links as springs, Barnes-Hut many-body repulsion, and a weak pull to the centre.
 */
(function () {
  'use strict';
  var errors = [];
  function report(message) {
    errors.push(String(message));
    document.body.setAttribute('data-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) { report(e.message); });
  window.addEventListener('unhandledrejection', function (e) { report(e.reason); });

  var SVGNS = 'http://www.w3.org/2000/svg';
  var PREDICATES = {
    'kgo:launches': ['启动', 'launches', '由…启动', 'launched by'],
    'kgo:issues': ['发布', 'issues', '由…发布', 'issued by'],
    'kgo:establishes': ['设立', 'establishes', '由…设立', 'established by'],
    'kgo:inRegion': ['位于', 'in region', '辖内', 'has in region'],
    'kgo:partnersWith': ['合作', 'partners with', '合作', 'partners with'],
    'kgo:targets': ['面向', 'targets', '受益于', 'targeted by'],
    'kgo:partOf': ['隶属', 'part of', '下辖', 'has part'],
    'org:memberOf': ['任职于', 'member of', '成员', 'has member'],
    'org:subOrganizationOf': ['下属于', 'sub-organization of', '下属', 'has sub-organization']
  };

  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var colour = {}, typeName = {};
  data.types.forEach(function (t) { colour[t.type] = t.colour; typeName[t.type] = t.name; });
  var nodes = data.nodes.map(function (d, i) {
    return { i: i, id: d.id, label: d.label, en: d.en || '', type: d.type, province: d.province || '',
             code: d.code || '', degree: d.degree || 0, x: 0, y: 0, vx: 0, vy: 0, out: [], inc: [] };
  });
  var edges = data.edges.map(function (e, i) {
    var edge = { i: i, s: nodes[e.s], t: nodes[e.t], p: e.p, ev: e };
    edge.s.out.push(edge); edge.t.inc.push(edge);
    return edge;
  });

  // ------------------------------------------------------------------ layout
  var seed = 42;
  function random() { seed = (seed * 1664525 + 1013904223) % 4294967296; return seed / 4294967296; }
  function jiggle() { return (random() - 0.5) * 1e-6; }

  function cell(x, y, s) { return { x: x, y: y, s: s, kids: null, pts: [], m: 0, cx: 0, cy: 0 }; }
  function add(c, d, depth) {
    if (!c.kids) {
      c.pts.push(d);
      if (c.pts.length > 4 && depth < 24) {
        var pts = c.pts; c.pts = []; c.kids = [null, null, null, null];
        for (var j = 0; j < pts.length; j++) add(c, pts[j], depth);
      }
      return;
    }
    var h = c.s / 2, k = (d.x >= c.x + h ? 1 : 0) + (d.y >= c.y + h ? 2 : 0);
    if (!c.kids[k]) c.kids[k] = cell(c.x + (k & 1 ? h : 0), c.y + (k & 2 ? h : 0), h);
    add(c.kids[k], d, depth + 1);
  }
  function accumulate(c) {
    var m = 0, x = 0, y = 0, j;
    if (!c.kids) {
      for (j = 0; j < c.pts.length; j++) { x += c.pts[j].x; y += c.pts[j].y; }
      m = c.pts.length;
    } else {
      for (j = 0; j < 4; j++) {
        var k = c.kids[j];
        if (k) { accumulate(k); m += k.m; x += k.cx * k.m; y += k.cy * k.m; }
      }
    }
    c.m = m; c.cx = m ? x / m : 0; c.cy = m ? y / m : 0;
  }
  function quadtree(list) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    list.forEach(function (d) { x0 = Math.min(x0, d.x); y0 = Math.min(y0, d.y); x1 = Math.max(x1, d.x); y1 = Math.max(y1, d.y); });
    var root = cell(x0, y0, Math.max(x1 - x0, y1 - y0) + 1);
    list.forEach(function (d) { add(root, d, 0); });
    accumulate(root);
    return root;
  }
  var THETA2 = 0.81, CHARGE = -45;
  function repel(c, d, alpha) {
    var dx = c.cx - d.x, dy = c.cy - d.y, l = dx * dx + dy * dy, w;
    if (c.kids && (c.s * c.s) / THETA2 < l) {
      if (l < 1) l = Math.sqrt(l);
      w = CHARGE * alpha * c.m / l; d.vx += dx * w; d.vy += dy * w;
      return;
    }
    if (!c.kids) {
      for (var j = 0; j < c.pts.length; j++) {
        var p = c.pts[j];
        if (p === d) continue;
        dx = p.x - d.x; dy = p.y - d.y;
        if (dx === 0) dx = jiggle();
        if (dy === 0) dy = jiggle();
        l = dx * dx + dy * dy;
        if (l < 1) l = Math.sqrt(l);
        w = CHARGE * alpha / l; d.vx += dx * w; d.vy += dy * w;
      }
      return;
    }
    for (var k = 0; k < 4; k++) if (c.kids[k]) repel(c.kids[k], d, alpha);
  }

  function layout(ticks) {
    nodes.forEach(function (d, i) {  // phyllotaxis start, as d3 does: deterministic and spread out
      var r = 10 * Math.sqrt(0.5 + i), a = i * Math.PI * (3 - Math.sqrt(5));
      d.x = r * Math.cos(a); d.y = r * Math.sin(a); d.vx = d.vy = 0;
    });
    var count = nodes.map(function () { return 0; });
    var links = edges.filter(function (e) { return e.s !== e.t; });
    links.forEach(function (e) { count[e.s.i]++; count[e.t.i]++; });
    links.forEach(function (e) {
      e.strength = 1 / Math.min(count[e.s.i], count[e.t.i]);
      e.bias = count[e.s.i] / (count[e.s.i] + count[e.t.i]);
    });
    var alpha = 1, decay = 1 - Math.pow(0.001, 1 / ticks), DIST = 34, GRAVITY = 0.035, FRICTION = 0.6;
    for (var tick = 0; tick < ticks; tick++) {
      alpha += -alpha * decay;
      links.forEach(function (e) {
        var s = e.s, t = e.t;
        var x = t.x + t.vx - s.x - s.vx || jiggle(), y = t.y + t.vy - s.y - s.vy || jiggle();
        var l = Math.sqrt(x * x + y * y);
        l = (l - DIST) / l * alpha * e.strength;
        x *= l; y *= l;
        t.vx -= x * e.bias; t.vy -= y * e.bias;
        s.vx += x * (1 - e.bias); s.vy += y * (1 - e.bias);
      });
      var root = quadtree(nodes);
      nodes.forEach(function (d) {
        repel(root, d, alpha);
        d.vx -= d.x * GRAVITY * alpha; d.vy -= d.y * GRAVITY * alpha;
      });
      nodes.forEach(function (d) {
        if (d.fixed) { d.vx = d.vy = 0; return; }
        d.x += (d.vx *= FRICTION); d.y += (d.vy *= FRICTION);
      });
    }
  }

  // ------------------------------------------------------------------ drawing
  var svg = document.getElementById('graph'), viewport = document.getElementById('viewport');
  var gEdges = document.getElementById('edges'), gNodes = document.getElementById('nodes'), gLabels = document.getElementById('labels');
  var view = { k: 1, x: 0, y: 0 };
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function radius(d) { return 3.5 + 2.2 * Math.sqrt(d.degree); }
  var labelled = {};
  nodes.slice().sort(function (a, b) { return b.degree - a.degree; }).slice(0, 45)
    .forEach(function (d) { if (d.degree >= 3) labelled[d.i] = true; });

  function draw() {
    edges.forEach(function (e) {
      e.line = el('line', { 'class': e.ev.event ? 'event' : '' }, gEdges);
    });
    nodes.forEach(function (d) {
      d.circle = el('circle', { r: radius(d).toFixed(1), fill: colour[d.type] || '#999', 'class': 'node',
                                'data-i': d.i, 'data-type': d.type }, gNodes);
      el('title', {}, d.circle).textContent = d.label + (d.en ? ' (' + d.en + ')' : '') + ' · ' + (typeName[d.type] || d.type);
      d.text = el('text', { dy: '-' + (radius(d) + 2).toFixed(1), 'text-anchor': 'middle',
                            'class': labelled[d.i] ? '' : 'hidden' }, gLabels);
      d.text.textContent = d.label.length > 16 ? d.label.slice(0, 15) + '…' : d.label;
    });
    place();
  }
  function place() {
    edges.forEach(function (e) {
      e.line.setAttribute('x1', e.s.x.toFixed(1)); e.line.setAttribute('y1', e.s.y.toFixed(1));
      e.line.setAttribute('x2', e.t.x.toFixed(1)); e.line.setAttribute('y2', e.t.y.toFixed(1));
    });
    nodes.forEach(function (d) {
      d.circle.setAttribute('cx', d.x.toFixed(1)); d.circle.setAttribute('cy', d.y.toFixed(1));
      d.text.setAttribute('x', d.x.toFixed(1)); d.text.setAttribute('y', d.y.toFixed(1));
    });
  }
  function transform() {
    viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')');
    // labels keep their size on screen whatever the zoom
    gLabels.setAttribute('font-size', (12 / view.k).toFixed(2));
    gLabels.setAttribute('stroke-width', (3 / view.k).toFixed(2));
  }
  function fit() {
    var shown = nodes.filter(function (d) { return !d.hidden; });
    if (!shown.length) shown = nodes;
    if (!shown.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    shown.forEach(function (d) { x0 = Math.min(x0, d.x); y0 = Math.min(y0, d.y); x1 = Math.max(x1, d.x); y1 = Math.max(y1, d.y); });
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600, pad = 30;
    view.k = Math.min(4, Math.min((w - 2 * pad) / (x1 - x0 + 1), (h - 2 * pad) / (y1 - y0 + 1)));
    view.x = w / 2 - view.k * (x0 + x1) / 2; view.y = h / 2 - view.k * (y0 + y1) / 2;
    transform();
  }
  function centreOn(d) {
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    view.k = Math.max(view.k, 1.8); view.x = w / 2 - view.k * d.x; view.y = h / 2 - view.k * d.y;
    transform();
  }

  // ------------------------------------------------------------------ panning, zooming, dragging
  function point(evt) {
    var r = svg.getBoundingClientRect();
    return { x: (evt.clientX - r.left - view.x) / view.k, y: (evt.clientY - r.top - view.y) / view.k };
  }
  var drag = null;
  svg.addEventListener('mousedown', function (evt) {
    var i = evt.target.getAttribute && evt.target.getAttribute('data-i');
    drag = { node: i !== null && i !== undefined ? nodes[+i] : null, x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y, moved: false };
    if (!drag.node) svg.classList.add('panning');
    evt.preventDefault();
  });
  window.addEventListener('mousemove', function (evt) {
    if (!drag) return;
    if (Math.abs(evt.clientX - drag.x) + Math.abs(evt.clientY - drag.y) > 3) drag.moved = true;
    if (drag.node) {
      var p = point(evt); drag.node.x = p.x; drag.node.y = p.y; place();
    } else {
      view.x = drag.vx + evt.clientX - drag.x; view.y = drag.vy + evt.clientY - drag.y; transform();
    }
  });
  window.addEventListener('mouseup', function () {
    if (drag && !drag.moved) select(drag.node);
    drag = null; svg.classList.remove('panning');
  });
  svg.addEventListener('wheel', function (evt) {
    evt.preventDefault();
    var r = svg.getBoundingClientRect(), mx = evt.clientX - r.left, my = evt.clientY - r.top;
    var k = Math.max(0.05, Math.min(20, view.k * Math.pow(1.0015, -evt.deltaY)));
    view.x = mx - (mx - view.x) * k / view.k; view.y = my - (my - view.y) * k / view.k; view.k = k;
    transform();
  }, { passive: false });

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById('details');
  function h(name, text, cls) {
    var e = document.createElement(name);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(d) {
    var a = h('a', d.label);
    a.title = d.en || d.id;
    a.addEventListener('click', function () { select(d); centreOn(d); });
    return a;
  }
  function qualifiers(ev) {
    var parts = [];
    if (ev.role) parts.push('职务 ' + ev.role);
    if (ev.place_label) parts.push('地点 ' + ev.place_label);
    if (ev.date) parts.push('时间 ' + ev.date);
    if (ev.amount !== undefined) parts.push('金额 ¥' + Number(ev.amount).toLocaleString('zh-CN'));
    if (ev.partners) parts.push('合作 ' + ev.partners);
    if (ev.beneficiaries) parts.push('受益 ' + ev.beneficiaries);
    if (ev.confidence !== undefined) parts.push('置信度 ' + ev.confidence);
    return parts.join(' · ');
  }
  function fact(e, outgoing) {
    var li = h('li'), names = PREDICATES[e.p] || [e.p, e.p, e.p, e.p];
    var other = outgoing ? e.t : e.s;
    li.appendChild(h('span', (outgoing ? names[0] + ' → ' : names[2] + ' ← '), 'p'));
    li.appendChild(link(other));
    li.appendChild(h('span', ' ' + (outgoing ? names[1] : names[3]), 'p'));
    var q = qualifiers(e.ev);
    if (q) { li.appendChild(h('br')); li.appendChild(h('span', q, 'q')); }
    if (e.ev.evidence) {
      var bq = h('blockquote', e.ev.evidence);
      if (e.ev.headline) bq.appendChild(h('cite', '—《' + e.ev.headline + '》'));
      li.appendChild(bq);
    }
    return li;
  }
  function showDetails(d) {
    details.textContent = '';
    if (!d) {
      details.appendChild(h('p', '点击节点查看事实与证据句。 Click a node to see its facts and evidence.', 'hint'));
      return;
    }
    details.appendChild(h('h2', d.label));
    if (d.en) details.appendChild(h('div', d.en, 'en'));
    var meta = h('div', null, 'meta'), tag = h('span', typeName[d.type] || d.type, 'tag');
    tag.style.background = colour[d.type] || '#999';
    meta.appendChild(tag);
    meta.appendChild(document.createTextNode([d.type, d.province, d.code ? '代码 ' + d.code : '', '度 ' + d.degree]
      .filter(Boolean).join(' · ')));
    details.appendChild(meta);
    details.appendChild(h('div', d.id, 'iri'));
    var partners = {};
    d.out.forEach(function (e) { if (e.p === 'kgo:partnersWith') partners[e.t.i] = true; });
    var facts = d.out.map(function (e) { return [e, true]; }).concat(d.inc.filter(function (e) {
      return !(e.p === 'kgo:partnersWith' && partners[e.s.i]);  // a symmetric tie, listed once
    }).map(function (e) { return [e, false]; }));
    facts.sort(function (a, b) { return (b[0].ev.evidence ? 1 : 0) - (a[0].ev.evidence ? 1 : 0); });
    var withEvidence = facts.filter(function (f) { return f[0].ev.evidence; }).length;
    details.appendChild(h('h3', '事实 facts (' + facts.length + ') · 证据句 evidence (' + withEvidence + ')'));
    var ul = h('ul');
    facts.forEach(function (f) { ul.appendChild(fact(f[0], f[1])); });
    details.appendChild(ul);
  }

  var selected = null;
  function select(d) {
    if (selected) selected.circle.classList.remove('selected');
    document.querySelectorAll('.near').forEach(function (e) { e.classList.remove('near'); });
    selected = d || null;
    svg.classList.toggle('focus', !!selected);
    if (selected) {
      selected.circle.classList.add('selected');
      var near = [selected];
      selected.out.concat(selected.inc).forEach(function (e) {
        e.line.classList.add('near'); near.push(e.s, e.t);
      });
      near.forEach(function (n) { n.circle.classList.add('near'); n.text.classList.add('near'); n.text.classList.remove('hidden'); });
    }
    nodes.forEach(function (n) { if (!labelled[n.i] && !(selected && n.circle.classList.contains('near'))) n.text.classList.add('hidden'); });
    showDetails(selected);
  }

  // ------------------------------------------------------------------ search
  var search = document.getElementById('search'), results = document.getElementById('results');
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    return nodes.filter(function (d) {
      return !d.hidden && (d.label.toLowerCase().indexOf(q) >= 0 || d.en.toLowerCase().indexOf(q) >= 0 || d.id.toLowerCase().indexOf(q) >= 0);
    }).sort(function (a, b) { return b.degree - a.degree; });
  }
  function runSearch() {
    var found = matches(search.value);
    nodes.forEach(function (d) { d.circle.classList.remove('match'); });
    found.forEach(function (d) { d.circle.classList.add('match'); });
    svg.classList.toggle('searching', search.value.trim() !== '');
    results.textContent = '';
    found.slice(0, 30).forEach(function (d) {
      var li = h('li', d.label + (d.en ? ' · ' + d.en : '') + ' · ' + (typeName[d.type] || d.type));
      li.addEventListener('mousedown', function (evt) { evt.preventDefault(); choose(d); });
      results.appendChild(li);
    });
    results.hidden = !found.length;
    return found;
  }
  function choose(d) { results.hidden = true; select(d); centreOn(d); }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (evt) {
    if (evt.key === 'Enter') { var found = runSearch(); if (found.length) choose(found[0]); }
    if (evt.key === 'Escape') { search.value = ''; runSearch(); results.hidden = true; }
  });
  search.addEventListener('blur', function () { results.hidden = true; });

  // ------------------------------------------------------------------ filters
  var legend = document.getElementById('legend'), province = document.getElementById('province');
  var typeOn = {};
  data.types.forEach(function (t) {
    typeOn[t.type] = true;
    var label = h('label'), box = h('input');
    box.type = 'checkbox'; box.checked = true; box.value = t.type;
    box.addEventListener('change', function () { typeOn[t.type] = box.checked; applyFilters(); });
    var dot = h('span', null, 'dot'); dot.style.background = t.colour;
    label.appendChild(box); label.appendChild(dot);
    label.appendChild(document.createTextNode(t.name + ' ' + t.type + ' '));
    label.appendChild(h('span', '(' + t.count + ')', 'n'));
    legend.appendChild(label);
  });
  data.provinces.forEach(function (p) { var o = h('option', p); o.value = p; province.appendChild(o); });
  province.addEventListener('change', function () { applyFilters(); fit(); });
  var status = document.getElementById('status');
  function applyFilters() {
    var p = province.value;
    nodes.forEach(function (d) {
      var ok = typeOn[d.type];
      if (ok && p && d.province !== p) {
        ok = !d.province && d.out.concat(d.inc).some(function (e) { var o = e.s === d ? e.t : e.s; return o.province === p; });
      }
      d.hidden = !ok;
    });
    var shownEdges = 0;
    edges.forEach(function (e) {
      var hide = e.s.hidden || e.t.hidden;
      e.line.classList.toggle('hidden', hide);
      if (!hide) shownEdges++;
    });
    var shown = 0;
    nodes.forEach(function (d) {
      d.circle.classList.toggle('hidden', d.hidden);
      if (d.hidden) d.text.classList.add('hidden'); else if (labelled[d.i]) d.text.classList.remove('hidden');
      if (!d.hidden) shown++;
    });
    status.textContent = '显示 ' + shown + ' / ' + nodes.length + ' 个节点 nodes · ' + shownEdges + ' 条边 edges' +
      (data.total.nodes > nodes.length ? ' (图谱共 ' + data.total.nodes + ' 个节点; the ' + nodes.length + ' best connected are drawn)' : '');
  }

  // ------------------------------------------------------------------ start
  layout(nodes.length > 3000 ? 120 : 300);
  draw();
  applyFilters();
  fit();
  window.addEventListener('resize', function () { if (selected) centreOn(selected); else fit(); });
  // viz.html#province=浙江省&node=<IRI or label>&q=<text>: open with a filter, a selection, a search
  var params = new URLSearchParams(location.hash.slice(1));
  if (params.get('province') && data.provinces.indexOf(params.get('province')) >= 0) {
    province.value = params.get('province'); applyFilters(); fit();
  }
  if (params.get('node')) {
    var wanted = nodes.filter(function (d) { return d.id === params.get('node') || d.label === params.get('node'); })[0];
    if (wanted) { select(wanted); centreOn(wanted); }
  }
  if (params.get('q')) { search.value = params.get('q'); runSearch(); results.hidden = true; }
  window.kgViz = { nodes: nodes, edges: edges, select: select, search: function (q) { search.value = q; return runSearch().length; } };
  document.body.setAttribute('data-nodes', String(nodes.length));
  document.body.setAttribute('data-edges', String(edges.length));
  document.body.setAttribute('data-ready', '1');
})();
