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
      new Chart(mastery, {
        type: "bar",
        data: { labels: data.mastery.skills, datasets: [
          { label: "Mastery %", data: data.mastery.mean, backgroundColor: accent },
          { label: "± uncertainty", data: data.mastery.sd, backgroundColor: muted },
        ] },
        options: { animation: false, maintainAspectRatio: false, indexAxis: "y", scales: { x: { min: 0, max: 100 } } },
      });
    }
    document.documentElement.dataset.chartsReady = "1";
  });
})();
