// Draws every <canvas data-gi-chart="ID"> from the JSON spec in <script id="ID"> with Chart.js
// (gitinsight/charts.py writes both). Axes are titled, ticks are few and rounded, and dates
// on the x axis are already written as dates by the server.
(function () {
  "use strict";

  function formatter(kind) {
    if (kind === "percent") {
      return function (value) { return Math.round(value * 100) + " %"; };
    }
    if (kind === "integer") {
      return function (value) { return Number.isInteger(value) ? value.toLocaleString("en") : ""; };
    }
    return function (value) {
      return Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en")
        : Number(value.toPrecision(3)).toLocaleString("en");
    };
  }

  var markerPlugin = {
    id: "giMarkers",
    afterDatasetsDraw: function (chart, args, options) {
      var markers = options.markers || [];
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x;
      markers.forEach(function (marker) {
        var index = chart.data.labels.indexOf(marker[0]);
        if (index < 0) { return; }
        var position = x.getPixelForValue(index);
        ctx.save();
        ctx.strokeStyle = "#8a6d00";
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(position, area.top);
        ctx.lineTo(position, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#5c4800";
        ctx.font = "12px sans-serif";
        ctx.textAlign = position > area.right - 80 ? "right" : "left";
        ctx.fillText(marker[1], position + (ctx.textAlign === "right" ? -4 : 4), area.top + 12);
        ctx.restore();
      });
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.giChart);
    if (!source || !window.Chart) { return; }
    var spec = JSON.parse(source.textContent);
    var format = formatter(spec.y_format);
    var datasets = spec.series.map(function (series) {
      return {
        type: series.kind, label: series.label, data: series.values,
        borderColor: series.color, backgroundColor: series.kind === "bar" ? series.color : series.color + "33",
        borderDash: series.dashed ? [6, 4] : [], fill: series.fill, pointRadius: spec.labels.length > 40 ? 0 : 2,
        tension: 0.2, spanGaps: true, borderWidth: 2
      };
    });
    new window.Chart(canvas, {
      data: { labels: spec.labels, datasets: datasets },
      plugins: [markerPlugin],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: { callbacks: { label: function (item) {
            return item.dataset.label + ": " + (item.raw === null ? "no data" : format(item.raw));
          } } },
          giMarkers: { markers: spec.markers }
        },
        scales: {
          x: { stacked: spec.stacked, title: { display: !!spec.x_title, text: spec.x_title },
               ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 } },
          y: { stacked: spec.stacked, min: spec.y_min === null ? undefined : spec.y_min,
               suggestedMax: spec.y_max === null ? undefined : spec.y_max,
               max: spec.y_format === "percent" ? 1 : undefined,
               title: { display: true, text: spec.y_title },
               ticks: { maxTicksLimit: 6, callback: format, precision: spec.y_format === "integer" ? 0 : undefined } }
        }
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-gi-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
