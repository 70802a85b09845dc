/* The timeline page: one vis-timeline item per dated event, one lane per mediator or dyad.
   Item and lane contents are built by templates that return DOM elements made with
   textContent, and tooltips are our own element, so no article text is parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var tooltip = document.getElementById("tooltip");
  var main = document.querySelector("main");
  var page = window.kgPage = {
    view: data.view, ready: false, readyMs: null, totalItems: data.items.length, items: 0,
    groups: data.groups.length, undated: data.undated, tooltipShown: 0
  };
  document.getElementById("title").textContent = data.title;
  document.title = data.title;
  if (data.undated) {
    document.getElementById("note").textContent =
      "(" + data.undated + (data.undated === 1 ? " undated event" : " undated events") + " not shown)";
  }

  var el = kgText.el;
  var trim = kgText.trim;

  var events = data.events;
  var itemInfo = new Map();
  var items = data.items.map(function (it) {
    itemInfo.set(it.id, it);
    var item = { id: it.id, group: it.group, start: it.start, type: it.type,
                 style: "background-color:" + it.color + "33;border-color:" + it.color,
                 className: it.granularity === "day" ? "" : "approx" };
    if (it.end) item.end = it.end;
    return item;
  });
  var groupLabel = new Map(data.groups.map(function (g) { return [g.id, g]; }));
  var groups = new vis.DataSet(data.groups.map(function (g) { return { id: g.id, order: g.order }; }));

  /* ---- filters ---- */
  var state = { from: "", to: "", type: "", actor: "" };
  function dateOk(date) {
    if (!state.from && !state.to) return true;
    if (state.from && date.slice(0, state.from.length) < state.from.slice(0, date.length)) return false;
    if (state.to && date.slice(0, state.to.length) > state.to.slice(0, date.length)) return false;
    return true;
  }
  function passes(e) {
    if (state.type && e.types.indexOf(state.type) < 0) return false;
    if (!dateOk(e.date)) return false;
    if (state.actor) {
      var q = state.actor.trim().toLowerCase();
      var names = e.actors.map(function (n) { return String(n).toLowerCase(); });
      var exact = allNames.has(q);
      if (!names.some(function (n) { return exact ? n === q : n.indexOf(q) >= 0; })) return false;
    }
    return true;
  }
  var allNames = new Set();
  events.forEach(function (e) { e.actors.forEach(function (n) { allNames.add(String(n).toLowerCase()); }); });

  var itemsData = new vis.DataSet(items);
  var itemsView = new vis.DataView(itemsData, {
    filter: function (item) { return passes(events[itemInfo.get(item.id).ev]); }
  });
  function updateStats() {
    page.items = itemsView.length;
    document.getElementById("stats").textContent = page.items + " of " + page.totalItems + " dated events";
  }
  function applyFilters() {
    hideTooltip();
    itemsView.refresh();
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
    return { items: page.items };
  };
  var typeSelect = document.getElementById("f-type");
  data.types.forEach(function (t) { var o = el("option", null, t); o.value = t; typeSelect.appendChild(o); });
  var datalist = document.getElementById("actor-names");
  Array.from(new Set([].concat.apply([], events.map(function (e) { return e.actors; })))).sort().forEach(function (n) {
    var o = document.createElement("option"); o.value = n; datalist.appendChild(o);
  });
  ["from", "to", "type", "actor"].forEach(function (k) {
    var input = document.getElementById("f-" + k);
    input.addEventListener(k === "actor" ? "input" : "change", function () { state[k] = input.value; applyFilters(); });
  });

  /* ---- legend ---- */
  (function legend() {
    var box = document.getElementById("legend");
    if (!data.legend.events.length) return;
    box.appendChild(el("h2", null, "Event types"));
    var list = el("ul");
    data.legend.events.forEach(function (entry) {
      var li = el("li");
      var swatch = el("span", "swatch");
      swatch.style.background = entry.color;
      li.appendChild(swatch);
      li.appendChild(el("span", null, entry.label));
      list.appendChild(li);
    });
    box.appendChild(list);
    box.appendChild(el("h2", null, "Lanes"));
    box.appendChild(el("div", null, "One per mediator; where there is none, one per pair of sides."));
    box.appendChild(el("h2", null, "Dashed"));
    box.appendChild(el("div", null, "Only the month or year is known."));
  })();

  /* ---- tooltips ---- */
  function tooltipFor(id) {
    var it = itemInfo.get(id);
    var e = events[it.ev];
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "head", e.types.join(", ") || "Event"));
    var meta = e.date + (e.end ? " \u2013 " + e.end : "");
    if (e.status && e.status !== "asserted") meta += " \u00b7 " + e.status;
    if (e.confidence) meta += " \u00b7 confidence " + e.confidence;
    box.appendChild(el("div", "meta", meta));
    ["mediator", "party", "visitor", "host", "participant"].forEach(function (role) {
      var who = e.roles[role];
      if (who && who.length) box.appendChild(el("div", "roles", role + ": " + who.join(", ")));
    });
    if (e.place) box.appendChild(el("div", "meta", "in " + e.place));
    e.evidence.slice(0, 3).forEach(function (s) { box.appendChild(el("div", "evidence", "\u201c" + trim(s, 400) + "\u201d")); });
    e.sources.slice(0, 4).forEach(function (s) {
      box.appendChild(el("div", "source", kgText.source(s)));
    });
    if (e.sources.length > 4) box.appendChild(el("div", "source", "and " + (e.sources.length - 4) + " more sources"));
    return box;
  }
  function showTooltip(content, event) {
    tooltip.textContent = "";
    tooltip.appendChild(content);
    tooltip.style.display = "block";
    var area = main.getBoundingClientRect();
    var x = event.clientX - area.left + 14, y = event.clientY - area.top + 14;
    if (x + tooltip.offsetWidth > area.width) x = Math.max(0, x - tooltip.offsetWidth - 28);
    if (y + tooltip.offsetHeight > area.height) y = Math.max(0, area.height - tooltip.offsetHeight - 4);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
    page.tooltipShown += 1;
  }
  function hideTooltip() { tooltip.style.display = "none"; }

  /* ---- the timeline ---- */
  var options = {
    stack: true, zoomable: true, moveable: true, orientation: { axis: "both" }, margin: { item: 6 },
    zoomMin: 1000 * 60 * 60 * 24 * 3, zoomMax: 1000 * 60 * 60 * 24 * 365 * 60,
    groupOrder: "order", tooltip: { followMouse: false }, showTooltips: false,
    template: function (item, element) {
      if (!item) return "";
      return el("span", "kg-item", itemInfo.get(item.id).label);
    },
    groupTemplate: function (group) {
      if (!group) return "";
      var g = groupLabel.get(group.id);
      var node = el("span", "lane lane-" + g.kind, g.label);
      if (g.kind === "mediator") node.title = "mediated by " + g.label;
      return node;
    },
    xss: { disabled: false }
  };
  var container = document.getElementById("timeline");
  var timeline = new vis.Timeline(container, itemsView, groups, options);
  page.timeline = timeline;
  updateStats();
  timeline.on("itemover", function (p) { showTooltip(tooltipFor(p.item), p.event); });
  timeline.on("itemout", hideTooltip);
  timeline.on("rangechange", hideTooltip);

  document.getElementById("z-in").addEventListener("click", function () { timeline.zoomIn(0.5); });
  document.getElementById("z-out").addEventListener("click", function () { timeline.zoomOut(0.5); });
  document.getElementById("z-fit").addEventListener("click", function () { timeline.fit(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    page.setFilter({ from: "", to: "", type: "", actor: "" });
    timeline.fit();
  });

  var done = false;
  timeline.on("changed", function () {
    if (done) return;
    done = true;
    page.ready = true;
    page.readyMs = performance.now();
  });
  if (items.length) timeline.fit({ animation: false });
  else { page.ready = true; page.readyMs = performance.now(); }
  page.visibleItemIds = function () { return itemsView.getIds(); };
  page.renderedItems = function () { return container.querySelectorAll(".vis-item.vis-box, .vis-item.vis-range, .vis-item.vis-point").length; };
})();
