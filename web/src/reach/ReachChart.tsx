import { useEffect, useRef } from 'react';
import type { Chart as ChartType } from 'chart.js';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

interface Props {
  kind: 'bar' | 'line';
  labels: string[];
  series: ChartSeries[];
  /** Read out instead of the canvas by screen readers; the table below carries the figures. */
  summary: string;
}

/** Chart.js, loaded only when a chart is first drawn, so other pages never download it. */
export function ReachChart({ kind, labels, series, summary }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let chart: ChartType | undefined;
    let cancelled = false;
    void import('./chart-setup').then(({ Chart }) => {
      if (cancelled || !canvas.current) return;
      chart = new Chart(canvas.current, {
        type: kind,
        data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderColor: s.color })) },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [kind, labels, series]);

  return (
    <div className="reach-chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
