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

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var container = $("kg-graph");
  var network = new vis.Network(container, {}, data.options);
  var view = window.kgView = {
    network: network, nodes: nodes, edges: edges, data: data, ready: false, readyAt: null,
    search: search, focusNode: focusNode, showNode: showNode, showEdge: showEdge
  };

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
  $("kg-counts").textContent = data.nodes.length + " 个实体 entities · " + data.edges.length + " 条关系 relations";
  var hiddenTypes = {};
  function applyTypeFilter() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: !!hiddenTypes[n.group] }; }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, hidden: !!(hiddenTypes[byId[e.from].group] || hiddenTypes[byId[e.to].group]) };
    }));
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
  function nameOf(id) { return byId[id] ? byId[id].name : id; }
  function relLabel(e) { return view.english ? e.label_en : e.label_zh; }

  function showNode(id) {
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
    var rel = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    p.appendChild(el("h2", "关系 relations (" + rel.length + ")"));
    rel.forEach(function (e) {
      var out = e.from === id, box = el("div", null, "kg-rel");
      var line = el("div", (out ? "→ " : "← ") + relLabel(e) + " " + nameOf(out ? e.to : e.from));
      if (e.status !== "active") line.appendChild(el("span", " [" + STATUS[e.status] + "]", "kg-status-" + e.status));
      box.appendChild(line);
      evidence(box, e);
      p.appendChild(box);
    });
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    var p = panel();
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
    if (params.nodes.length) pinned = { kind: "node", id: params.nodes[0] };
    else if (params.edges.length) pinned = { kind: "edge", id: params.edges[0] };
    else pinned = null;
    showPinned();
  });
  network.on("hoverNode", function (params) { showNode(params.node); });
  network.on("hoverEdge", function (params) { showEdge(params.edge); });
  network.on("blurNode", showPinned);
  network.on("blurEdge", showPinned);

  /* ---- search: Chinese name, alias/简称, English name; traditional or simplified ---- */
  var fold = data.fold || {};  /* traditional -> simplified, for the characters of this page's names */
  function norm(s) {
    var t = String(s || "").normalize("NFKC").toLowerCase().replace(/[\s"'“”‘’「」『』《》〈〉()（）.,，、·・\-]/g, "");
    return Array.from(t, function (ch) { return Object.prototype.hasOwnProperty.call(fold, ch) ? fold[ch] : ch; }).join("");
  }
  var index = data.nodes.map(function (n) {
    return { id: n.id, keys: [n.name].concat(n.aliases || [], n.name_en ? [n.name_en] : []).map(norm).filter(Boolean) };
  });
  function search(text) {
    var q = norm(text);
    if (!q) return [];
    var ranked = [];
    index.forEach(function (it) {
      var best = 9;
      it.keys.forEach(function (k) {
        var r = k === q ? 0 : k.indexOf(q) === 0 ? 1 : k.indexOf(q) > 0 ? 2 : 9;
        if (r < best) best = r;
      });
      if (best < 9) ranked.push([best, nameOf(it.id).length, it.id]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
    return ranked.map(function (r) { return r[2]; });
  }
  function focusNode(id) {
    var n = byId[id];
    if (!n) return;
    if (hiddenTypes[n.group]) {
      hiddenTypes[n.group] = false;
      var box = document.querySelector('#kg-legend input[data-type="' + CSS.escape(n.group) + '"]');
      if (box) box.checked = true;
      applyTypeFilter();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    pinned = { kind: "node", id: id };
    showNode(id);
  }
  var input = $("kg-search"), results = $("kg-results");
  function listResults(ids) {
    results.textContent = "";
    ids.slice(0, 12).forEach(function (id, i) {
      var n = byId[id], li = el("li", n.name, i === 0 ? "kg-current" : "");
      if (n.name_en) li.appendChild(el("small", n.name_en));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(id); results.hidden = true; });
      results.appendChild(li);
    });
    results.hidden = !ids.length;
  }
  input.addEventListener("input", function () {
    var ids = search(input.value);
    listResults(ids);
    if (ids.length) focusNode(ids[0]);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var ids = search(input.value); if (ids.length) focusNode(ids[0]); results.hidden = true; }
    if (ev.key === "Escape") results.hidden = true;
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  /* ---- English labels, fit, PNG export ---- */
  function setEnglish(on) {
    view.english = on;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, label: on ? n.label_en : n.label_zh }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, label: on ? e.label_en : e.label_zh }; }));
    showPinned();
  }
  view.english = !!data.english;
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
