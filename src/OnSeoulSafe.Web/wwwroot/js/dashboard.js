// Draws the dashboard charts from each canvas's data-chart attribute (no inline script: the CSP forbids it).
// Every chart repeats numbers that are also in the table next to it.
(function () {
    "use strict";
    if (typeof Chart === "undefined") return;
    var palette = ["#1f5f8b", "#c0392b", "#6b3fa0", "#2e8b57", "#d68910", "#5d6d7e", "#17a589"];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
        var spec;
        try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
        var datasets = spec.datasets.map(function (d, i) {
            var color = palette[i % palette.length];
            return { label: d.label, data: d.data, backgroundColor: color, borderColor: color, spanGaps: true, tension: 0.2 };
        });
        var tick = spec.unit ? function (v) { return v + " " + spec.unit; } : undefined;
        new Chart(canvas, {
            type: spec.type,
            data: { labels: spec.labels, datasets: datasets },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales: {
                    x: { stacked: spec.stacked },
                    y: { stacked: spec.stacked, beginAtZero: true, ticks: tick ? { callback: tick } : {} }
                }
            }
        });
    });
})();
