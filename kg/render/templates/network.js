/* The network page: draws the JSON block with vis-network, filters through DataViews, and
   builds every tooltip, legend entry and option from text nodes (never innerHTML): labels,
   evidence and outlets come from articles and must stay text. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var page = window.kgPage = {
    view: data.view, layout: data.layout, ready: false, stable: false, readyMs: null,
    totalNodes: data.nodes.length, totalEdges: data.edges.length, nodes: 0, edges: 0, tooltipShown: 0
  };
  document.getElementById("title").textContent = data.title;
  document.title = data.title;

  var el = kgText.el;
  var trim = kgText.trim;

  var events = data.events;
  var info = new Map();
  var nodeEv = new Map();
  var edgeEv = new Map();
  var nodeItems = data.nodes.map(function (n) {
    info.set(n.id, n);
    nodeEv.set(n.id, n.ev);
    var item = { id: n.id, label: n.label, shape: n.shape, color: n.color };
    if (n.size !== undefined) item.size = n.size;
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  });
  var edgeInfo = new Map();
  var edgeItems = data.edges.map(function (e) {
    edgeInfo.set(e.id, e);
    edgeEv.set(e.id, e.ev);
    var item = { id: e.id, from: e.from, to: e.to, color: { color: e.color, highlight: e.color, hover: e.color },
                 width: e.width, dashes: e.dashes, arrows: e.arrows || "" };
    if (e.smooth) item.smooth = e.smooth;
    return item;
  });

  /* ---- filters ---- */
  var state = { from: "", to: "", type: "", actor: "" };
  var pass = events.map(function () { return true; });
  var visibleNodes = new Set(nodeItems.map(function (n) { return n.id; }));
  var visibleEdges = new Set(edgeItems.map(function (e) { return e.id; }));

  function active() { return !!(state.from || state.to || state.type || state.actor); }

  function actorMatches(query) {
    var q = query.trim().toLowerCase();
    var exact = new Set(), partial = new Set();
    info.forEach(function (n, id) {
      if (id.charAt(0) !== "a") return;
      var label = String(n.label).toLowerCase();
      if (label === q) exact.add(id);
      else if (label.indexOf(q) >= 0) partial.add(id);
    });
    return exact.size ? exact : partial;
  }

  function dateOk(date) {
    if (!state.from && !state.to) return true;
    if (!date) return false;
    if (state.from && date.slice(0, state.from.length) < state.from.slice(0, date.length)) return false;
    if (state.to && date.slice(0, state.to.length) > state.to.slice(0, date.length)) return false;
    return true;
  }

  function computeVisibility() {
    var actors = state.actor ? actorMatches(state.actor) : null;
    pass = events.map(function (e) {
      if (state.type && e.types.indexOf(state.type) < 0) return false;
      if (!dateOk(e.date)) return false;
      if (actors && !e.actors.some(function (id) { return actors.has(id); })) return false;
      return true;
    });
    var on = active();
    visibleNodes = new Set();
    nodeItems.forEach(function (n) {
      if (!on || nodeEv.get(n.id).some(function (i) { return pass[i]; })) visibleNodes.add(n.id);
    });
    visibleEdges = new Set();
    edgeItems.forEach(function (e) {
      var ev = edgeEv.get(e.id);
      var shown = ev.length ? (!on || ev.some(function (i) { return pass[i]; }))
                            : (visibleNodes.has(e.from) && visibleNodes.has(e.to));
      if (shown && visibleNodes.has(e.from) && visibleNodes.has(e.to)) visibleEdges.add(e.id);
    });
  }

  var nodesData = new vis.DataSet(nodeItems);
  var edgesData = new vis.DataSet(edgeItems);
  var nodesView = new vis.DataView(nodesData, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgesView = new vis.DataView(edgesData, { filter: function (e) { return visibleEdges.has(e.id); } });

  function updateStats() {
    page.nodes = nodesView.length;
    page.edges = edgesView.length;
    document.getElementById("stats").textContent =
      page.nodes + " of " + page.totalNodes + " nodes, " + page.edges + " of " + page.totalEdges + " edges";
  }

  function applyFilters() {
    hideTooltip();
    computeVisibility();
    nodesView.refresh();
    edgesView.refresh();
    updateStats();
  }
  page.setFilter = function (next) {
    ["from", "to", "type", "actor"].forEach(function (k) {
      if (next && next[k] !== undefined) {
        state[k] = String(next[k] || "");
        document.getElementById("f-" + k).value = state[k];
      }
    });
    applyFilters();
    return { nodes: page.nodes, edges: page.edges };
  };

  var typeSelect = document.getElementById("f-type");
  data.types.forEach(function (t) {
    var option = el("option", null, t);
    option.value = t;
    typeSelect.appendChild(option);
  });
  var names = document.getElementById("actor-names");
  var labels = [];
  info.forEach(function (n, id) { if (id.charAt(0) === "a") labels.push(String(n.label)); });
  labels.sort().forEach(function (label) { var o = document.createElement("option"); o.value = label; names.appendChild(o); });

  ["from", "to", "type", "actor"].forEach(function (k) {
    var input = document.getElementById("f-" + k);
    input.addEventListener(k === "actor" ? "input" : "change", function () {
      state[k] = input.value;
      applyFilters();
    });
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    page.setFilter({ from: "", to: "", type: "", actor: "" });
    if (network) network.fit();
  });

  /* ---- legend ---- */
  (function legend() {
    var box = document.getElementById("legend");
    function section(title, entries, line) {
      if (!entries.length) return;
      box.appendChild(el("h2", null, title));
      var list = el("ul");
      entries.forEach(function (entry) {
        var li = el("li");
        var swatch = el("span", "swatch " + (line ? "line" + (entry.dashes ? " dashes" : "") : entry.shape));
        swatch.style.color = entry.color;
        if (!line) swatch.style.background = entry.color;
        li.appendChild(swatch);
        li.appendChild(el("span", null, entry.label));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    section("Actors", data.legend.actors, false);
    section("Events (size: sources)", data.legend.events, false);
    section(data.view === "actors" ? "Relations (width: events)" : "Roles", data.legend.edges, true);
  })();

  /* ---- tooltips, from text nodes only ---- */
  function eventBlock(e) {
    var block = el("div", "event");
    var when = (e.date || "undated") + (e.end ? " \u2013 " + e.end : "");
    var meta = when + " \u00b7 " + (e.types.join(", ") || "event");
    if (e.status && e.status !== "asserted") meta += " \u00b7 " + e.status;
    if (e.confidence) meta += " \u00b7 confidence " + e.confidence;
    block.appendChild(el("div", "meta", meta));
    var roles = [];
    ["mediator", "party", "visitor", "host", "participant"].forEach(function (role) {
      var who = e.roles[role];
      if (who && who.length) roles.push(role + ": " + who.join(", "));
    });
    if (roles.length) block.appendChild(el("div", "roles", roles.join("; ")));
    if (e.place) block.appendChild(el("div", "meta", "in " + e.place));
    e.evidence.slice(0, 2).forEach(function (sentence) { block.appendChild(el("div", "evidence", "\u201c" + trim(sentence, 320) + "\u201d")); });
    e.sources.slice(0, 3).forEach(function (s) {
      block.appendChild(el("div", "source", kgText.source(s)));
    });
    if (e.sources.length > 3) block.appendChild(el("div", "source", "and " + (e.sources.length - 3) + " more sources"));
    return block;
  }
  function eventList(box, indices) {
    var shown = indices.filter(function (i) { return pass[i]; });
    shown.sort(function (a, b) { return (events[a].date || "~").localeCompare(events[b].date || "~"); });
    box.appendChild(el("div", "meta", shown.length + (shown.length === 1 ? " event" : " events")));
    shown.slice(0, 5).forEach(function (i) { box.appendChild(eventBlock(events[i])); });
    if (shown.length > 5) box.appendChild(el("div", "meta", "and " + (shown.length - 5) + " more"));
  }
  function nodeTooltip(id) {
    var n = info.get(id);
    var box = document.createDocumentFragment();
    if (id.charAt(0) === "a") {
      box.appendChild(el("div", "head", n.label));
      var meta = n.kind;
      if (n.role) meta += " \u00b7 " + n.role;
      if (n.represents) meta += " \u00b7 for " + n.represents;
      box.appendChild(el("div", "meta", meta));
      eventList(box, nodeEv.get(id));
    } else {
      box.appendChild(el("div", "head", n.label + " \u00b7 " + n.sources + (n.sources === 1 ? " source" : " sources")));
      nodeEv.get(id).forEach(function (i) { box.appendChild(eventBlock(events[i])); });
    }
    return box;
  }
  function edgeTooltip(id) {
    var e = edgeInfo.get(id);
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "head", info.get(e.from).label + " " + e.rel + " " + info.get(e.to).label));
    if (e.ev.length) eventList(box, e.ev);
    return box;
  }
  function showTooltip(content, pointer) {
    tooltip.textContent = "";
    tooltip.appendChild(content);
    tooltip.style.display = "block";
    var x = pointer.x + 14, y = pointer.y + 14;
    var w = container.clientWidth, h = container.clientHeight;
    if (x + tooltip.offsetWidth > w) x = Math.max(0, pointer.x - tooltip.offsetWidth - 14);
    if (y + tooltip.offsetHeight > h) y = Math.max(0, h - tooltip.offsetHeight - 4);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
    page.tooltipShown += 1;
  }
  function hideTooltip() { tooltip.style.display = "none"; }

  /* ---- the network ---- */
  computeVisibility();
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  page.network = network;
  updateStats();

  network.on("hoverNode", function (p) { showTooltip(nodeTooltip(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTooltip(edgeTooltip(p.edge), p.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  function markReady() {
    network.once("afterDrawing", function () {
      page.ready = true;
      page.readyMs = performance.now();
    });
    network.redraw();
  }
  if (data.layout === "physics" && nodeItems.length) {
    network.once("stabilizationIterationsDone", function () {
      // Physics off once laid out: dragging, filtering and hovering stay cheap afterwards.
      network.setOptions({ physics: { enabled: false } });
      page.stable = true;
      network.fit();
      markReady();
    });
  } else {
    page.stable = true;
    network.fit();
    markReady();
  }

  /* ---- search ---- */
  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  var cursor = 0;
  function found() {
    var q = search.value.trim().toLowerCase();
    if (!q) return [];
    return nodesView.getIds().filter(function (id) { return String(info.get(id).label).toLowerCase().indexOf(q) >= 0; });
  }
  search.addEventListener("input", function () {
    cursor = 0;
    var ids = found();
    matches.textContent = search.value.trim() ? ids.length + (ids.length === 1 ? " match" : " matches") : "";
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var ids = found();
    if (!ids.length) return;
    var id = ids[cursor % ids.length];
    cursor += 1;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
  });

  page.positionOf = function (id) {
    var dom = network.canvasToDOM(network.getPosition(id));
    var box = container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  };
  page.drawn = function () {
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };
  page.visibleNodeIds = function () { return nodesView.getIds(); };
  page.visibleEdgeIds = function () { return edgesView.getIds(); };
})();
