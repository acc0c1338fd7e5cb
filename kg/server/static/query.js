// The park-kg query page: an editor over this endpoint's /sparql. It loads nothing from any other host.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const UPDATE_WORDS = new Set(["INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"]);
  // comments, PREFIX and BASE lines before the query's first keyword
  const PROLOGUE = /^(?:\s+|#[^\n]*|PREFIX\s+[\w.\-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*([A-Za-z]+)/i;
  const DOWNLOADS = {
    solutions: {csv: ["CSV", "text/csv", "results.csv"], json: ["JSON", "application/sparql-results+json", "results.json"]},
    graph: {csv: ["Turtle", "text/turtle", "results.ttl"], json: ["JSON-LD", "application/ld+json", "results.jsonld"]},
  };
  const state = {prefixes: {}, examples: [], writable: false, last: null};

  function firstWord(text) {
    const m = PROLOGUE.exec(text);
    return m ? m[1].toUpperCase() : "";
  }

  function setStatus(message, error = false) {
    const s = $("status");
    s.textContent = message;
    s.className = error ? "error" : "";
  }

  function short(term) {
    if (!term) return "";
    if (term.type === "uri") {
      for (const [p, ns] of Object.entries(state.prefixes)) {
        if (term.value.startsWith(ns) && term.value.length > ns.length) return `${p}:${term.value.slice(ns.length)}`;
      }
      return `<${term.value}>`;
    }
    if (term.type === "bnode") return `_:${term.value}`;
    return term.value;
  }

  function cell(tag, text, cls) {
    const c = document.createElement(tag);
    c.textContent = text;
    if (cls) c.className = cls;
    return c;
  }

  function showSolutions(answer) {
    const out = $("results");
    out.replaceChildren();
    if (typeof answer.boolean === "boolean") {
      out.append(cell("p", String(answer.boolean), "boolean"));
      return "ASK: " + answer.boolean;
    }
    const vars = answer.head.vars, rows = answer.results.bindings;
    const table = document.createElement("table"), head = document.createElement("tr"), body = document.createElement("tbody");
    vars.forEach((v) => head.append(cell("th", v)));
    for (const row of rows) {
      const tr = document.createElement("tr");
      vars.forEach((v) => tr.append(cell("td", short(row[v]), row[v] && row[v].type === "uri" ? "iri" : "")));
      body.append(tr);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    table.append(thead, body);
    out.append(table);
    return `${rows.length} row${rows.length === 1 ? "" : "s"}`;
  }

  function showGraph(text) {
    $("results").replaceChildren(cell("pre", text));
    return "a graph (Turtle)";
  }

  function request(text, accept) {
    const op = UPDATE_WORDS.has(firstWord(text)) ? "update" : "query";
    const headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Accept": accept};
    const token = $("token").value.trim();
    if (op === "update" && token) headers.Authorization = `Bearer ${token}`;
    return fetch("sparql", {method: "POST", headers, body: new URLSearchParams({[op]: text}), credentials: "omit"});
  }

  function setDownloads(kind) {
    for (const key of ["csv", "json"]) {
      const b = $(key);
      b.disabled = !kind;
      if (kind) b.textContent = DOWNLOADS[kind][key][0];
    }
  }

  async function run() {
    const text = $("query").value;
    const t0 = performance.now();
    setStatus("running…");
    setDownloads(null);
    $("results").dataset.state = "running";
    let resp, body;
    try {
      resp = await request(text, "application/sparql-results+json, text/turtle;q=0.9");
      body = await resp.text();
    } catch (e) {
      $("results").dataset.state = "error";
      return setStatus(`the endpoint did not answer: ${e.message}`, true);
    }
    if (!resp.ok) {
      $("results").dataset.state = "error";
      return setStatus(`${resp.status}: ${body.trim()}`, true);
    }
    const ms = Math.round(performance.now() - t0);
    if (resp.status === 204) {
      $("results").replaceChildren();
      $("results").dataset.state = "done";
      return setStatus(`update done in ${ms} ms`);
    }
    const graph = !(resp.headers.get("content-type") || "").startsWith("application/sparql-results+json");
    const said = graph ? showGraph(body) : showSolutions(JSON.parse(body));
    state.last = {text, kind: graph ? "graph" : "solutions"};
    setDownloads(state.last.kind);
    $("results").dataset.state = "done";
    setStatus(`${said} in ${ms} ms`);
  }

  async function download(key) {
    if (!state.last) return;
    const [label, accept, name] = DOWNLOADS[state.last.kind][key];
    setStatus(`fetching ${label}…`);
    const resp = await request(state.last.text, accept);
    if (!resp.ok) return setStatus(`${resp.status}: ${(await resp.text()).trim()}`, true);
    const url = URL.createObjectURL(await resp.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus(`downloaded ${name}`);
  }

  function addPrefixes() {
    const q = $("query");
    const declared = new Set([...q.value.matchAll(/PREFIX\s+([\w.\-]*):/gi)].map((m) => m[1]));
    const lines = Object.entries(state.prefixes).filter(([p]) => !declared.has(p)).map(([p, ns]) => `PREFIX ${p}: <${ns}>`);
    if (lines.length) q.value = lines.join("\n") + "\n" + q.value;
  }

  function fill(config) {
    Object.assign(state, {prefixes: config.prefixes, examples: config.examples, writable: config.writable});
    const select = $("examples");
    config.examples.forEach((ex, i) => {
      const o = cell("option", `${ex.name} — ${ex.title}`);
      o.value = String(i);
      select.append(o);
    });
    const list = $("prefix-list");
    for (const [p, ns] of Object.entries(config.prefixes)) list.append(cell("dt", `${p}:`), cell("dd", ns));
    $("mode").textContent = config.writable
      ? `writable: updates need the token · timeout ${config.timeout} s · at most ${config.max_rows} rows`
      : `read-only · timeout ${config.timeout} s · at most ${config.max_rows} rows`;
    $("token-box").hidden = !config.writable;
  }

  async function start() {
    $("run").addEventListener("click", run);
    $("csv").addEventListener("click", () => download("csv"));
    $("json").addEventListener("click", () => download("json"));
    $("add-prefixes").addEventListener("click", addPrefixes);
    $("examples").addEventListener("change", (e) => {
      const ex = state.examples[Number(e.target.value)];
      if (ex) $("query").value = ex.text;
    });
    $("query").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });
    try {
      const resp = await fetch("page/config.json", {credentials: "omit"});
      fill(await resp.json());
    } catch (e) {
      setStatus(`could not load the page's settings: ${e.message}`, true);
    }
    document.body.dataset.ready = "1";
  }

  start();
})();
