// strata docs: sidebar, search and diagram zoom. No dependencies, works from file://.
(function () {
  "use strict";
  var data = window.STRATA_DOCS || { tables: [], views: [] };
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var current = body.getAttribute("data-current") || "";
  var list = document.getElementById("nav-list");
  var count = document.getElementById("nav-count");
  var input = document.getElementById("search");
  var LIMIT = 300;
  var bySlugName = {};
  data.tables.forEach(function (t) { bySlugName[t.n] = t.s; });

  function href(t) { return root + "tables/" + encodeURIComponent(t.s) + ".html"; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // Appends `text` with the first occurrence of `q` marked.
  function marked(parent, text, q) {
    var i = q ? text.toLowerCase().indexOf(q) : -1;
    if (i < 0) { parent.appendChild(document.createTextNode(text)); return; }
    parent.appendChild(document.createTextNode(text.slice(0, i)));
    parent.appendChild(el("mark", null, text.slice(i, i + q.length)));
    parent.appendChild(document.createTextNode(text.slice(i + q.length)));
  }

  // Tables matching `q`: by name first (prefix before substring), then by column, then by description.
  function search(q) {
    if (!q) return data.tables.map(function (t) { return { t: t }; });
    var out = [];
    data.tables.forEach(function (t) {
      var name = t.n.toLowerCase();
      var i = name.indexOf(q);
      if (i >= 0) { out.push({ t: t, rank: i === 0 ? 0 : 1 }); return; }
      var cols = t.c.filter(function (c) { return c.toLowerCase().indexOf(q) >= 0; });
      if (cols.length) { out.push({ t: t, rank: 2, cols: cols }); return; }
      if (t.d && t.d.toLowerCase().indexOf(q) >= 0) out.push({ t: t, rank: 3, desc: true });
    });
    out.sort(function (a, b) { return a.rank - b.rank || (a.t.n < b.t.n ? -1 : a.t.n > b.t.n ? 1 : 0); });
    return out;
  }

  var results = [];
  function render() {
    var q = input ? input.value.trim().toLowerCase() : "";
    results = search(q);
    list.textContent = "";
    var frag = document.createDocumentFragment();
    results.slice(0, LIMIT).forEach(function (r) {
      var li = el("li");
      var a = el("a");
      a.href = href(r.t);
      if (r.t.s === current) a.className = "active";
      a.title = r.t.d ? r.t.n + " — " + r.t.d : r.t.n;
      marked(a, r.t.n, r.rank < 2 ? q : "");
      if (r.cols) {
        var hit = el("span", "hit");
        marked(hit, r.cols.slice(0, 3).join(", ") + (r.cols.length > 3 ? ", …" : ""), q);
        a.appendChild(hit);
      } else if (r.desc) {
        a.appendChild(el("span", "hit", "in the description"));
      }
      li.appendChild(a);
      frag.appendChild(li);
    });
    if (results.length > LIMIT) {
      frag.appendChild(el("li", "more", (results.length - LIMIT) + " more — refine the search"));
    }
    if (q && !results.length) frag.appendChild(el("li", "more", "No table or column matches."));
    list.appendChild(frag);
    if (count) count.textContent = q ? results.length + " / " + data.tables.length : data.tables.length;
    filterIndex(q);
    var active = list.querySelector("a.active");
    if (active && !q && active.scrollIntoView) active.scrollIntoView({ block: "nearest" });
  }

  // On the overview page, the search also filters the list of tables.
  var rows = document.querySelectorAll("#tables-list tbody tr");
  var none = document.getElementById("tables-none");
  function filterIndex(q) {
    if (!rows.length) return;
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = !q || rows[i].getAttribute("data-search").indexOf(q) >= 0;
      rows[i].hidden = !hit;
      if (hit) shown++;
    }
    if (none) none.hidden = shown > 0;
  }

  if (list) {
    render();
    if (input) {
      input.addEventListener("input", render);
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && results.length) location.href = href(results[0].t);
        if (e.key === "Escape") { input.value = ""; render(); input.blur(); }
      });
    }
  }
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "/" && input && tag !== "INPUT" && tag !== "TEXTAREA") {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  // Diagrams: tables link to their pages; the current table is highlighted; zoom buttons.
  var figures = document.querySelectorAll("figure.erd");
  Array.prototype.forEach.call(figures, function (fig) {
    var svg = fig.querySelector(".erd-canvas svg");
    if (!svg) return;
    Array.prototype.forEach.call(svg.querySelectorAll("g.t"), function (g) {
      var title = g.querySelector("title");
      var name = title ? title.textContent : "";
      var slug = bySlugName[name];
      if (slug == null) return;
      g.setAttribute("data-href", root + "tables/" + encodeURIComponent(slug) + ".html");
      if (slug === current) g.classList.add("focus");
      g.addEventListener("click", function () { location.href = g.getAttribute("data-href"); });
    });
    var w = parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    var canvas = fig.querySelector(".erd-canvas");
    var scale = 1;
    function fitScale() {
      var avail = canvas.clientWidth - 24;
      return avail > 0 && w > 0 ? Math.min(1, avail / w) : 1;
    }
    function apply() {
      svg.style.width = Math.round(w * scale) + "px";
      svg.style.height = "auto";
    }
    scale = fitScale();
    // A huge diagram fitted to the width would be unreadable: show it at a legible size instead.
    if (scale < 0.35) scale = 0.6;
    apply();
    Array.prototype.forEach.call(fig.querySelectorAll("[data-zoom]"), function (b) {
      b.addEventListener("click", function () {
        var z = b.getAttribute("data-zoom");
        if (z === "in") scale = Math.min(4, scale * 1.25);
        else if (z === "out") scale = Math.max(0.05, scale / 1.25);
        else scale = fitScale();
        apply();
      });
    });
  });
})();
