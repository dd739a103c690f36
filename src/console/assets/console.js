// The console's only script (served at /assets/console.js, signed-in pages only): the dashboard's
// charts (chart.js from node_modules, /assets/chart.js) and the template editor's live preview, which
// asks the server for the exact text and SMS count (the same code that renders real texts).
'use strict';

function drawCharts() {
  const el = document.getElementById('dashboard-data');
  if (!el || typeof Chart === 'undefined') return;
  const d = JSON.parse(el.textContent);
  const palette = ['#0b5394', '#38761d', '#cc0000', '#e69138', '#674ea7', '#45818e', '#a64d79', '#7f6000', '#3d85c6', '#6aa84f', '#999999', '#000000'];
  const opts = { animation: false, responsive: true };
  new Chart(document.getElementById('chart-calls'), {
    type: 'bar',
    data: { labels: d.labels, datasets: d.calls.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: palette[i % palette.length] })) },
    options: { ...opts, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById('chart-consent'), {
    type: 'line',
    data: { labels: d.labels, datasets: [{ label: 'granted %', data: d.consentRate, borderColor: palette[1], spanGaps: true }] },
    options: { ...opts, scales: { y: { min: 0, max: 100 } } },
  });
  new Chart(document.getElementById('chart-texts'), {
    type: 'doughnut',
    data: { labels: d.texts.map((t) => t.state), datasets: [{ data: d.texts.map((t) => t.n), backgroundColor: d.texts.map((_, i) => palette[i % palette.length]) }] },
    // As wide as the bar charts beside it are tall, not a square filling the column.
    options: { ...opts, aspectRatio: 2 },
  });
  // Cumulative histogram buckets into per-bucket counts.
  const per = d.latency.map((b, i) => b.count - (i > 0 ? d.latency[i - 1].count : 0));
  new Chart(document.getElementById('chart-latency'), {
    type: 'bar',
    data: { labels: d.latency.map((b) => (b.le === '+Inf' ? 'more' : '≤ ' + b.le + ' s')), datasets: [{ label: 'decisions', data: per, backgroundColor: palette[0] }] },
    options: { ...opts, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function livePreview() {
  for (const form of document.querySelectorAll('form.template')) {
    const area = form.querySelector('textarea');
    const key = form.querySelector('input[name="key"]').value;
    const parts = form.querySelector('.parts');
    const text = form.querySelector('.preview-text');
    let timer = 0;
    let seq = 0;
    area.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const mine = ++seq;
        const url = '/businesses/' + form.dataset.business + '/preview?key=' + encodeURIComponent(key) + '&text=' + encodeURIComponent(area.value);
        const r = await fetch(url, { credentials: 'same-origin' });
        if (mine !== seq || !r.ok) return;
        const p = await r.json();
        parts.textContent = p.ok ? p.parts + ' SMS, ' + p.encoding : 'invalid';
        text.textContent = p.ok ? p.text : p.error;
      }, 250);
    });
  }
}

drawCharts();
livePreview();
