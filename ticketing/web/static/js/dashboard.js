/* Supervisor dashboard charts (Apache ECharts, served locally). Data comes from the page's JSON block. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var RED = "#c8102e", BLUE = "#1d4ed8", GREEN = "#15803d", AMBER = "#b45309", GREY = "#9ca3af";
  var charts = [];
  var narrow = function () { return window.innerWidth < 700; };

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  var percentAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
  var rateSeries = function (d, type) {
    return [
      { name: "签收及时率", type: type, data: d.sign, itemStyle: { color: BLUE } },
      { name: "按期办结率", type: type, data: d.ontime, itemStyle: { color: GREEN } },
      { name: "满意率", type: type, data: d.satisfied, itemStyle: { color: AMBER } }
    ];
  };

  make("chart-weeks", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: { left: 44, right: 44, top: 48, bottom: 28 },
    xAxis: { type: "category", data: data.weeks.labels, axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: [percentAxis, { type: "value", name: "受理量", splitLine: { show: false } }],
    series: rateSeries(data.weeks, "line").map(function (s) { s.connectNulls = true; return s; }).concat([
      { name: "受理量", type: "bar", yAxisIndex: 1, data: data.weeks.received, itemStyle: { color: "#e5e7eb" }, z: 1 }
    ])
  });

  make("chart-departments", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: percentAxis,
    yAxis: { type: "category", inverse: true, data: data.departments.labels,
             axisLabel: { fontSize: 11, width: narrow() ? 84 : 140, overflow: "truncate" } },
    series: rateSeries(data.departments, "bar").map(function (s) { s.barMaxWidth = 8; return s; })
  });

  var stateColors = { "已受理": AMBER, "已派单": BLUE, "已签收": "#6366f1", "已办结": GREEN,
                      "已回访": "#0d9488", "已归档": GREY, "已合并": "#d1d5db" };
  make("chart-states", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    series: [{ type: "pie", radius: ["38%", "64%"], center: ["50%", "44%"], avoidLabelOverlap: true,
               label: { formatter: "{b}\n{c}", fontSize: 11 },
               data: data.states.map(function (s) { return { name: s.name, value: s.value, itemStyle: { color: stateColors[s.name] } }; }) }]
  });

  var horizontal = function (items, color, unit) {
    return {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + unit; } },
      grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: items.map(function (i) { return i.name; }),
               axisLabel: { fontSize: 11, width: narrow() ? 110 : 190, overflow: "truncate" } },
      series: [{ type: "bar", data: items.map(function (i) { return i.value; }), barMaxWidth: 16,
                 itemStyle: { color: color }, label: { show: true, position: "right", fontSize: 11 } }]
    };
  };
  make("chart-categories", horizontal(data.categories, BLUE, " 件"));
  make("chart-hotspots", horizontal(data.hotspots, RED, " 件相似诉求"));

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 120);
  });
  document.documentElement.setAttribute("data-charts", String(charts.length));
})();
