/* park-kg view page: draws the view's data with vis-network and wires search, filters,
   the info panel, the English toggle and PNG export. Every string from the data is put
   into the page with textContent, never as HTML. window.kgView exposes the network and
   its DataSets (tests and notebooks read them). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var STATUS = { active: "现行 active", planned: "计划 planned", ended: "已结束 ended" };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  var DEBOUNCE_MS = 150, PANEL_MAX = 60;
  var byId = {}, edgeById = {}, clusterById = {}, adj = {}, open = {}, hiddenTypes = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; adj[e.from].push(e); if (e.to !== e.from) adj[e.to].push(e); });
  (data.clusters || []).forEach(function (c) { clusterById[c.id] = c; });
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var container = $("kg-graph");
  var network = new vis.Network(container, {}, data.options);
  var view = window.kgView = {
    network: network, nodes: nodes, edges: edges, data: data, ready: false, readyAt: null, english: !!data.english, open: open,
    search: search, focusNode: focusNode, showNode: showNode, showEdge: showEdge, expand: expand, summary: summary, repOf: repOf
  };

  /* ---- what is drawn: entities, or for a big view the groups that stand for them (kg/views/cluster.py) ---- */
  var HUB_FONT = { color: "rgba(0,0,0,0)", strokeWidth: 0, background: "none" };
  function hubLabel(values, id, selected, hovering) {  /* a hub's relations are labelled while hovered or selected */
    if (selected || hovering) { values.color = "#222222"; values.strokeColor = "#ffffff"; values.strokeWidth = 5; }
  }
  function edgeHidden(e) { return !!(hiddenTypes[byId[e.from].group] || hiddenTypes[byId[e.to].group]); }
  function nodeItem(n) { return Object.assign({}, n, { label: view.english ? n.label_en : n.label_zh, hidden: !!hiddenTypes[n.group] }); }
  function edgeItem(e) {
    var x = Object.assign({}, e, { label: view.english ? e.label_en : e.label_zh, hidden: edgeHidden(e) });
    if (e.hub) { x.font = HUB_FONT; x.chosen = { edge: true, label: hubLabel }; }
    return x;
  }
  function clusterItem(c) {
    return { id: c.id, cluster: true, label: view.english ? c.label_en : c.label_zh, x: c.x, y: c.y, size: c.size, shape: c.shape,
             color: c.color, borderWidth: c.borderWidth, font: { size: 16, strokeWidth: 4 }, count: c.count,
             title: c.name + " · " + c.count + " 个实体 entities\n点击展开 click to expand" };
  }
  function repOf(id) {  /* the node drawn for entity id: itself, or the outermost closed group holding it */
    var r = id, c = byId[id] && byId[id].cluster;
    while (c) { if (!open[c]) r = c; c = clusterById[c].parent; }
    return r;
  }
  /* A DataSet is brought to hold exactly the ids of want by a diff: few changes, little redraw. */
  function drop(set, want) {
    var gone = set.getIds().filter(function (id) { return !want[id]; });
    if (gone.length) set.remove(gone);
  }
  function add(set, want, make) {
    var fresh = Object.keys(want).filter(function (id) { return !set.get(id); }).map(function (id) { return make(id, want[id]); });
    if (fresh.length) set.add(fresh);
  }
  function render() {
    var want = {}, wantEdges = {};
    data.nodes.forEach(function (n) { want[repOf(n.id)] = true; });
    data.edges.forEach(function (e) {
      var a = repOf(e.from), b = repOf(e.to);
      if (a === e.from && b === e.to) { wantEdges[e.id] = e; return; }
      if (a === b) return;
      /* one edge per pair of groups and status: planned relations are never counted into a plain line */
      var k = "agg:" + (a < b ? a + "\u0001" + b : b + "\u0001" + a) + "\u0001" + e.status;
      (wantEdges[k] = wantEdges[k] || { agg: true, from: a, to: b, n: 0, like: e }).n += 1;
    });
    drop(edges, wantEdges);
    drop(nodes, want);
    add(nodes, want, function (id) { return byId[id] ? nodeItem(byId[id]) : clusterItem(clusterById[id]); });
    add(edges, wantEdges, function (id, e) { return e.agg ? aggItem(id, e) : edgeItem(e); });
  }
  function aggItem(id, e) {  /* the relations of one status between two groups, styled as each of them is */
    var st = e.like.status, active = st === "active";
    var x = { id: id, from: e.from, to: e.to, count: e.n, status: st, label: String(e.n), color: { color: "#a0a0a0" },
              width: Math.min(8, 1 + Math.log2(e.n)), arrows: { to: { enabled: false } },
              title: e.n + " 条" + (active ? "" : STATUS[st] + " ") + "关系 relations: " + nameOf(e.from) + " — " +
                     nameOf(e.to) };
    if (active) return x;
    return Object.assign(x, { dashes: e.like.dashes, color: e.like.color,
                              smooth: { enabled: true, type: "curvedCW", roundness: 0.2 } });
  }
  function inside(id, cid) { for (var c = byId[id].cluster; c; c = clusterById[c].parent) if (c === cid) return true; return false; }
  function expand(cid) {
    if (!clusterById[cid]) return;
    for (var c = cid; c; c = clusterById[c].parent) open[c] = true;
    render();
    var shown = {};
    data.nodes.forEach(function (n) { if (inside(n.id, cid)) shown[repOf(n.id)] = true; });
    network.fit({ nodes: Object.keys(shown), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
  }
  function collapse(cid) { delete open[cid]; render(); }
  function summary() {
    Object.keys(open).forEach(function (c) { delete open[c]; });
    render();
    network.fit({ animation: { duration: 300 } });
  }
  function reveal(id) {  /* open every group that holds entity id */
    var changed = false;
    for (var c = byId[id] && byId[id].cluster; c; c = clusterById[c].parent) if (!open[c]) { open[c] = changed = true; }
    if (changed) render();
  }
  if (data.focus && byId[data.focus]) reveal(data.focus);
  render();

  function markReady() {
    network.once("afterDrawing", function () {
      view.ready = true;
      view.readyAt = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    network.redraw();
  }

  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  /* stabilized: stop, no endless wobble */
      network.fit();
      markReady();
    });
  } else {
    markReady();
  }
  /* White background, so an exported PNG is not transparent. */
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.setData({ nodes: nodes, edges: edges });

  /* ---- header, legend, notes ---- */
  var groups = (data.clusters || []).filter(function (c) { return !c.parent; }).length;
  $("kg-counts").textContent = data.nodes.length.toLocaleString("en") + " 个实体 entities · " + data.edges.length.toLocaleString("en") +
    " 条关系 relations" + (groups ? " · 概览 " + groups + " 组 groups" : "");
  $("kg-summary").hidden = !groups;
  $("kg-summary").addEventListener("click", summary);
  function applyTypeFilter() {
    nodes.update(nodes.getIds().filter(function (id) { return byId[id]; })
      .map(function (id) { return { id: id, hidden: !!hiddenTypes[byId[id].group] }; }));
    edges.update(edges.getIds().filter(function (id) { return edgeById[id]; })
      .map(function (id) { return { id: id, hidden: edgeHidden(edgeById[id]) }; }));
  }
  data.legend.forEach(function (t) {
    var li = el("li"), label = el("label"), box = el("input"), sw = el("span", null, "kg-swatch kg-" + t.shape);
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t.type);
    box.addEventListener("change", function () {
      hiddenTypes[t.type] = !box.checked;
      applyTypeFilter();
    });
    sw.style.background = t.color;
    label.appendChild(box);
    label.appendChild(sw);
    label.appendChild(el("span", t.zh + (t.en && t.en !== t.zh ? " " + t.en : "")));
    label.appendChild(el("span", t.count, "kg-count"));
    li.appendChild(label);
    $("kg-legend").appendChild(li);
  });
  data.notes.forEach(function (n) { $("kg-notes").appendChild(el("li", n)); });

  /* ---- info panel: hover shows, click pins ---- */
  var pinned = null;
  function panel() { var p = $("kg-panel"); p.textContent = ""; return p; }
  function row(dl, k, v) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) return;
    dl.appendChild(el("dt", k));
    dl.appendChild(el("dd", Array.isArray(v) ? v.join("、") : v));
  }
  function evidence(parent, e) {
    if (e.quote) parent.appendChild(el("blockquote", "“" + e.quote + "”", "kg-quote"));
    if (e.source) parent.appendChild(el("div", "来源 source: " + e.source, "kg-source"));
  }
  function nameOf(id) { return byId[id] ? byId[id].name : clusterById[id] ? clusterById[id].name : id; }
  function relLabel(e) { return view.english ? e.label_en : e.label_zh; }

  function showCluster(c) {
    var p = panel();
    p.setAttribute("data-kind", "cluster");
    p.setAttribute("data-id", c.id);
    p.appendChild(el("h3", c.name));
    var dl = el("dl");
    row(dl, "实体 entities", c.count.toLocaleString("en"));
    row(dl, "组 group", c.parent ? nameOf(c.parent) + " › " + c.name : c.name);
    p.appendChild(dl);
    p.appendChild(el("div", "点击展开, 双击其成员收起, 概览 返回 / click to expand, double-click a member to close, summary to go back", "kg-sub"));
  }
  function showNode(id) {
    if (clusterById[id]) return showCluster(clusterById[id]);
    var n = byId[id];
    if (!n) return;
    var p = panel();
    p.setAttribute("data-kind", "node");
    p.setAttribute("data-id", id);
    p.appendChild(el("h3", n.name));
    if (n.name_en) p.appendChild(el("div", n.name_en + " (translation)", "kg-sub"));
    var dl = el("dl");
    row(dl, "类型 type", n.type_zh + (n.type_en !== n.type_zh ? " / " + n.type_en : ""));
    row(dl, "简称 aliases", n.aliases);
    row(dl, "IRI", n.id);
    p.appendChild(dl);
    var rel = adj[id];
    p.appendChild(el("h2", "关系 relations (" + rel.length + ")"));
    rel.slice(0, PANEL_MAX).forEach(function (e) {
      var out = e.from === id, box = el("div", null, "kg-rel");
      var line = el("div", (out ? "→ " : "← ") + relLabel(e) + " " + nameOf(out ? e.to : e.from));
      if (e.status !== "active") line.appendChild(el("span", " [" + STATUS[e.status] + "]", "kg-status-" + e.status));
      box.appendChild(line);
      evidence(box, e);
      p.appendChild(box);
    });
    if (rel.length > PANEL_MAX) p.appendChild(el("div", "… " + (rel.length - PANEL_MAX) + " more / 更多", "kg-sub"));
  }

  function showEdge(id) {
    var e = edgeById[id] || edges.get(id);
    if (!e) return;
    var p = panel();
    if (!edgeById[id]) {  /* the relations between two groups, drawn as one edge */
      p.setAttribute("data-kind", "edge");
      p.setAttribute("data-id", id);
      p.appendChild(el("h3", e.count + " 条关系 relations" + (e.status !== "active" ? " [" + STATUS[e.status] + "]" : "")));
      p.appendChild(el("div", nameOf(e.from) + " — " + nameOf(e.to), "kg-sub"));
      return;
    }
    p.setAttribute("data-kind", "edge");
    p.setAttribute("data-id", id);
    p.appendChild(el("h3", e.label_zh + (e.label_en && e.label_en !== e.label_zh ? " / " + e.label_en : "")));
    var dl = el("dl");
    row(dl, "从 from", nameOf(e.from));
    row(dl, "到 to", nameOf(e.to));
    row(dl, "关系 relation", e.predicate);
    row(dl, "状态 status", STATUS[e.status] || e.status);
    p.appendChild(dl);
    evidence(p, e);
  }

  function showPinned() {
    if (pinned && pinned.kind === "node") showNode(pinned.id);
    else if (pinned && pinned.kind === "edge") showEdge(pinned.id);
    else panel();
  }
  network.on("click", function (params) {
    if (params.nodes.length && clusterById[params.nodes[0]]) { expand(params.nodes[0]); pinned = null; return showPinned(); }
    if (params.nodes.length) pinned = { kind: "node", id: params.nodes[0] };
    else if (params.edges.length) pinned = { kind: "edge", id: params.edges[0] };
    else pinned = null;
    showPinned();
  });
  network.on("doubleClick", function (params) {  /* close the innermost open group of a member */
    var id = params.nodes[0], c = id && (byId[id] ? byId[id].cluster : clusterById[id] && clusterById[id].parent);
    if (c) collapse(c);
  });
  network.on("hoverNode", function (params) { showNode(params.node); });
  network.on("hoverEdge", function (params) { showEdge(params.edge); });
  network.on("blurNode", showPinned);
  network.on("blurEdge", showPinned);

  /* ---- search: Chinese name, alias/简称, English name; traditional or simplified ----
     An index built once: every normalized key sorted (exact and prefix hits by binary search) and
     joined into one string (substring hits by the native indexOf). Typing is debounced. */
  var fold = data.fold || {};  /* traditional -> simplified, for the characters of this page's names */
  function norm(s) {
    var t = String(s || "").normalize("NFKC").toLowerCase().replace(/[\s\u0000-\u001f"'“”‘’「」『』《》〈〉()（）.,，、·・\-]/g, "");
    return Array.from(t, function (ch) { return Object.prototype.hasOwnProperty.call(fold, ch) ? fold[ch] : ch; }).join("");
  }
  var index = (function () {
    var entries = [];
    data.nodes.forEach(function (n) {
      [n.name].concat(n.aliases || [], n.name_en ? [n.name_en] : []).map(norm).filter(Boolean)
        .forEach(function (k) { entries.push([k, n.id]); });
    });
    entries.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var keys = entries.map(function (e) { return e[0]; }), starts = [], at = 0;
    keys.forEach(function (k) { starts.push(at); at += k.length + 1; });
    return { keys: keys, ids: entries.map(function (e) { return e[1]; }), starts: starts, text: keys.join("\u0001") };
  })();
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function search(text) {
    var q = norm(text);
    if (!q) return [];
    var best = {}, i, p;
    function hit(j, r) { var id = index.ids[j]; if (!(id in best) || r < best[id]) best[id] = r; }
    for (i = lowerBound(index.keys, q); i < index.keys.length && index.keys[i].lastIndexOf(q, 0) === 0; i++) hit(i, index.keys[i] === q ? 0 : 1);
    for (p = index.text.indexOf(q); p >= 0; p = index.text.indexOf(q, p + 1)) {
      i = lowerBound(index.starts, p + 1) - 1;  /* the key this occurrence is in */
      if (p > index.starts[i]) hit(i, 2);
    }
    var ranked = Object.keys(best).map(function (id) { return [best[id], nameOf(id).length, id]; });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
    return ranked.map(function (r) { return r[2]; });
  }
  view.searchIndex = index;
  view.searchStats = { runs: 0, lastMs: 0, maxMs: 0 };
  function focusNode(id) {
    var n = byId[id];
    if (!n) return;
    if (hiddenTypes[n.group]) {
      hiddenTypes[n.group] = false;
      var box = document.querySelector('#kg-legend input[data-type="' + CSS.escape(n.group) + '"]');
      if (box) box.checked = true;
      applyTypeFilter();
    }
    reveal(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    pinned = { kind: "node", id: id };
    showNode(id);
  }
  /* While typing: list, show the best hit and move to it, or to the closed group that holds it. */
  function preview(id) {
    var at = repOf(id);
    network.selectNodes([at]);
    network.focus(at, { scale: network.getScale(), animation: { duration: 200, easingFunction: "easeInOutQuad" } });
    pinned = { kind: "node", id: id };
    showNode(id);
  }
  var input = $("kg-search"), results = $("kg-results"), pending = null;
  function listResults(ids) {
    results.textContent = "";
    ids.slice(0, 12).forEach(function (id, i) {
      var n = byId[id], li = el("li", n.name, i === 0 ? "kg-current" : "");
      if (n.name_en) li.appendChild(el("small", n.name_en));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(id); results.hidden = true; });
      results.appendChild(li);
    });
    if (ids.length > 12) results.appendChild(el("li", "… " + (ids.length - 12) + " more / 更多", "kg-more"));
    results.hidden = !ids.length;
  }
  function runSearch() {
    pending = null;
    var t0 = performance.now(), ids = search(input.value);
    listResults(ids);
    if (ids.length) preview(ids[0]);
    var st = view.searchStats, ms = performance.now() - t0;
    st.runs += 1; st.lastMs = ms; st.maxMs = Math.max(st.maxMs, ms); st.lastCount = ids.length;
  }
  input.addEventListener("input", function () {
    if (pending) clearTimeout(pending);
    pending = setTimeout(runSearch, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      if (pending) { clearTimeout(pending); pending = null; }
      var ids = search(input.value);
      if (ids.length) focusNode(ids[0]);
      results.hidden = true;
    }
    if (ev.key === "Escape") results.hidden = true;
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  /* ---- English labels, fit, PNG export ---- */
  function setEnglish(on) {
    view.english = on;
    nodes.update(nodes.getIds().map(function (id) {
      var n = byId[id] || clusterById[id];
      return { id: id, label: on ? n.label_en : n.label_zh };
    }));
    edges.update(edges.getIds().filter(function (id) { return edgeById[id]; }).map(function (id) {
      var e = edgeById[id];
      return { id: id, label: on ? e.label_en : e.label_zh };
    }));
    showPinned();
  }
  $("kg-english").checked = view.english;
  $("kg-english").addEventListener("change", function () { setEnglish(this.checked); });
  $("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  $("kg-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    var a = document.createElement("a");
    a.href = canvas.toDataURL("image/png");
    a.download = (data.mode || "view") + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  if (data.focus && byId[data.focus]) {
    pinned = { kind: "node", id: data.focus };
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
})();
