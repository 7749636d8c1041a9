import { Typography, theme } from 'antd';
import { type ComponentType, lazy, Suspense, useMemo, useSyncExternalStore } from 'react';
import type { ChartOf, ChartTheme } from '../charts/chart-kit.ts';
import type { EChartProps } from './EChart.tsx';

/** In the chart's place when its chunk cannot be loaded (a deploy replaced it): still named, the table has it all. */
function ChartUnavailable({ label, height }: EChartProps) {
  return (
    <div role="img" aria-label={label} style={{ height, marginBottom: 8 }}>
      <Typography.Text type="secondary">图表未能加载，各项数据见下表。</Typography.Text>
    </div>
  );
}

// ECharts is a chunk of its own, fetched on the first chart; a failed fetch shows the note above, not a broken page
const EChart = lazy<ComponentType<EChartProps>>(() =>
  import('./EChart.tsx').then(
    (m) => ({ default: m.EChart }),
    () => ({ default: ChartUnavailable }),
  ),
);

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const watchReducedMotion = (onChange: () => void) => {
  const query = window.matchMedia?.(REDUCED_MOTION);
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
};
const prefersReducedMotion = () => window.matchMedia?.(REDUCED_MOTION).matches ?? false;

/** The antd theme's colours and type for ECharts; no animation for readers who asked the system for less motion. */
function useChartTheme(): ChartTheme {
  const { token } = theme.useToken();
  const reducedMotion = useSyncExternalStore(watchReducedMotion, prefersReducedMotion, () => false);
  return useMemo(
    () => ({
      primary: token.colorPrimary,
      success: token.colorSuccess,
      warning: token.colorWarning,
      error: token.colorError,
      accent: token.purple,
      neutral: token.colorTextQuaternary,
      text: token.colorText,
      textSecondary: token.colorTextSecondary,
      border: token.colorBorder,
      split: token.colorSplit,
      fontFamily: token.fontFamily,
      fontSize: token.fontSizeSM,
      animation: !reducedMotion,
    }),
    [token, reducedMotion],
  );
}

/**
 * One chart of 统计分析: an image named with a summary of the figures (role="img"; the table under it has them all),
 * named from the first render — while ECharts' chunk loads, the same named box holds its place.
 */
export function AnalyticsChart<T>({ chart, figures }: { chart: ChartOf<T>; figures: T }) {
  const chartTheme = useChartTheme();
  const { label, option, height = 280 } = useMemo(() => chart(figures, chartTheme), [chart, figures, chartTheme]);
  return (
    <Suspense fallback={<div role="img" aria-label={label} style={{ height, marginBottom: 8 }} />}>
      <EChart label={label} option={option} height={height} />
    </Suspense>
  );
}
