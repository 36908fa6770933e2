/** What one series of a chart draws (a .ts file, so pure modules and their tests can use it without JSX). */
export interface ChartSeries {
  name: string;
  type: "line" | "bar";
  data: (number | null)[];
  stack?: string;
  dashed?: boolean;
  color?: string;
  /** shown in the tooltip beside each value, e.g. "n = 41" */
  notes?: string[];
  /** points drawn faint: too few items behind them to read on their own */
  faint?: boolean[];
}
