// Dashboard charts (templates/reports/dashboard.html). The page already shows every number in
// tables; this script only draws charts from the JSON series whose URLs the page passes in
// data-endpoint attributes. Without Chart.js (npm missing) or when a request fails, the chart
// boxes stay hidden and the tables remain.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !root.dataset.labels || typeof window.Chart === "undefined" || !window.fetch) return;

  var locale = document.documentElement.lang === "en" ? "en" : "vi-VN";
  var number = new Intl.NumberFormat(locale);
  var labels = JSON.parse(root.dataset.labels);
  var COLORS = {
    green: "#198754",
    amber: "#f0ad00",
    red: "#dc3545",
    blue: "#0d6efd",
    teal: "#20c997",
    grey: "#adb5bd",
    palette: ["#198754", "#0d6efd", "#20c997", "#f0ad00", "#dc3545", "#6f42c1", "#fd7e14", "#6c757d"],
  };
  var requests = {};
  var queue = Promise.resolve();

  // One request at a time: each signed-in request touches the session row, and a burst of
  // parallel writes is what a small SQLite deployment handles worst.
  function load(url) {
    if (!requests[url]) {
      requests[url] = queue.then(function () {
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
          function (response) {
            if (!response.ok) throw new Error(url + ": " + response.status);
            return response.json();
          }
        );
      });
      queue = requests[url].catch(function () {});
    }
    return requests[url];
  }

  function unitName(row) {
    return row.direct ? row.name + " (" + labels.direct + ")" : row.name;
  }

  // Long unit and field names are cut on the axis (the table and the tooltip have them whole).
  var maxLabel = root.clientWidth < 576 ? 20 : 36;
  function short(name) {
    return name.length > maxLabel ? name.slice(0, maxLabel - 1) + "…" : name;
  }

  function pluck(rows, key) {
    return rows.map(function (r) { return r[key]; });
  }

  // Common options: Vietnamese number marks in ticks and tooltips, no animation.
  function options(extra, fullLabels) {
    var base = {
      locale: locale,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: function (items) {
              return items.length ? (fullLabels ? fullLabels[items[0].dataIndex] : items[0].label) : "";
            },
            label: function (ctx) {
              var value = ctx.parsed && typeof ctx.parsed === "object" ? (ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
              return (ctx.dataset.label || ctx.label) + ": " + number.format(value);
            },
          },
        },
      },
    };
    return Object.assign(base, extra || {});
  }

  function unitBars(rows, datasets, stacked) {
    var names = rows.map(unitName);
    return {
      type: "bar",
      data: { labels: names.map(short), datasets: datasets },
      options: options({
        indexAxis: "y",
        scales: {
          x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: stacked, ticks: { autoSkip: false } },
        },
      }, names),
      height: Math.max(220, rows.length * (stacked ? 26 : 40) + 80),
    };
  }

  var builders = {
    completeness: function (data) {
      if (!data.rows.length) return null;
      return unitBars(data.rows, [
        { label: labels.on_time, data: pluck(data.rows, "on_time"), backgroundColor: COLORS.green },
        { label: labels.late, data: pluck(data.rows, "late"), backgroundColor: COLORS.amber },
        { label: labels.missing, data: pluck(data.rows, "missing"), backgroundColor: COLORS.red },
      ], true);
    },
    petitions: function (data) {
      if (!data.rows.length) return null;
      return unitBars(data.rows, [
        { label: labels.raised, data: pluck(data.rows, "raised"), backgroundColor: COLORS.blue },
        { label: labels.resolved, data: pluck(data.rows, "resolved"), backgroundColor: COLORS.green },
        { label: labels.overdue, data: pluck(data.rows, "overdue"), backgroundColor: COLORS.red },
      ], false);
    },
    "dialogues-months": function (data) {
      return {
        type: "line",
        data: {
          labels: pluck(data.months, "label"),
          datasets: [{ label: labels.sessions, data: pluck(data.months, "sessions"), borderColor: COLORS.blue, backgroundColor: COLORS.blue, cubicInterpolationMode: "monotone" }],
        },
        options: options({ scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }),
      };
    },
    "dialogues-levels": function (data) {
      return {
        type: "bar",
        data: {
          labels: pluck(data.by_level, "label"),
          datasets: [{ label: labels.sessions, data: pluck(data.by_level, "sessions"), backgroundColor: COLORS.teal }],
        },
        options: options({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }),
      };
    },
    "supervisions-field": function (data) {
      var rows = data.by_field;
      var names = pluck(rows, "label");
      return {
        type: "bar",
        data: {
          labels: names.map(short),
          datasets: [
            { label: labels.inspection, data: pluck(rows, "inspection"), backgroundColor: COLORS.blue },
            { label: labels.community, data: pluck(rows, "community"), backgroundColor: COLORS.teal },
          ],
        },
        options: options({
          indexAxis: "y",
          scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } },
        }, names),
        height: Math.max(240, rows.length * 30 + 80),
      };
    },
    "supervisions-funding": function (data) {
      var rows = data.by_funding;
      var names = pluck(rows, "label");
      return {
        type: "bar",
        data: {
          labels: names.map(short),
          datasets: [{ label: labels.supervisions, data: pluck(rows, "supervisions"), backgroundColor: COLORS.teal }],
        },
        options: options({
          indexAxis: "y",
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
        }, names),
      };
    },
    classification: function (data) {
      if (!data.sheets) return null;
      var classes = data.classes;
      return {
        type: "doughnut",
        data: {
          labels: pluck(classes, "label"),
          datasets: [{
            label: labels.sheets,
            data: pluck(classes, "sheets"),
            backgroundColor: classes.map(function (c, i) { return c.unclassified ? COLORS.grey : COLORS.palette[i % COLORS.palette.length]; }),
          }],
        },
        options: options({
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 12 } },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var share = classes[ctx.dataIndex].share;
                  return ctx.label + ": " + number.format(share.numerator) + "/" + number.format(share.denominator);
                },
              },
            },
          },
        }),
      };
    },
  };

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var build = builders[box.dataset.chart];
    var canvas = box.querySelector("canvas");
    if (!build || !canvas) return;
    load(box.dataset.endpoint)
      .then(function (data) {
        var config = build(data);
        if (!config) return;
        box.style.position = "relative";
        box.style.height = (config.height || 260) + "px";
        delete config.height;
        box.classList.remove("d-none");
        new window.Chart(canvas, config);
        canvas.dataset.drawn = "1";
      })
      .catch(function () {
        // The numbers are in the table under the chart; leave the box hidden.
        box.classList.add("d-none");
      });
  });
})();
