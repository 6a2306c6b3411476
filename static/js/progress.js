// Progress charts, drawn with Chart.js (installed from npm) from the page's JSON data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const source = document.getElementById("progress-data");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const styles = getComputedStyle(document.documentElement);
    const accent = styles.getPropertyValue("--accent").trim() || "#3447c8";
    const muted = styles.getPropertyValue("--muted").trim() || "#5b5f66";
    Chart.defaults.color = muted;
    const history = document.getElementById("history-chart");
    if (history) {
      new Chart(history, {
        type: "line",
        data: { labels: data.history.days, datasets: [{ label: "Average score (0-5)", data: data.history.scores,
          borderColor: accent, backgroundColor: accent, tension: 0.25 }] },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 5 } } },
      });
    }
    const mastery = document.getElementById("mastery-chart");
    if (mastery) {
      // The estimate is a bar; its uncertainty a thin floating bar over it, from one
      // standard deviation below the mean to one above: a range, not a second metric.
      const fg = styles.getPropertyValue("--fg").trim() || "#1b1c1f";
      new Chart(mastery, {
        type: "bar",
        data: { labels: data.mastery.skills, datasets: [
          { label: "Mastery %", data: data.mastery.mean, backgroundColor: accent, grouped: false,
            maxBarThickness: 32, order: 2 },
          { label: "Likely range (± 1 sd)", data: data.mastery.range, backgroundColor: fg + "55",
            borderColor: fg, borderWidth: { left: 2, right: 2 }, borderSkipped: false,
            barPercentage: 0.35, maxBarThickness: 12, grouped: false, order: 1 },
        ] },
        options: {
          animation: false, maintainAspectRatio: false, indexAxis: "y",
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } }, y: { stacked: false } },
          plugins: { tooltip: { callbacks: { label: (ctx) => Array.isArray(ctx.raw)
            ? `${ctx.dataset.label}: ${ctx.raw[0]}-${ctx.raw[1]}%` : `${ctx.dataset.label}: ${ctx.raw}%` } } },
        },
      });
    }
    document.documentElement.dataset.chartsReady = "1";
  });
})();
