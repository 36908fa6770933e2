/**
 * One ECharts chart. Only the parts used are imported (line, bar, grid, tooltip, legend, aria),
 * which keeps the bundle small. The series values are mirrored in `data-series` so tests and
 * screen readers' users (through the table view) can check what is drawn.
 */
import { useEffect, useRef } from "preact/hooks";
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { ChartSeries } from "../chart-series";
import { PALETTE } from "../palette";

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export interface ChartProps {
  label: string;
  categories: string[];
  series: ChartSeries[];
  formatValue: (v: number | null) => string;
  onPointClick?: (seriesIndex: number, dataIndex: number) => void;
  height?: number;
}

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(props.onPointClick);
  click.current = props.onPointClick;

  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: "canvas" });
    chart.current = c;
    c.on("click", (p) => {
      if (typeof p.seriesIndex === "number" && typeof p.dataIndex === "number") click.current?.(p.seriesIndex, p.dataIndex);
    });
    const resize = () => c.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      c.dispose();
    };
  }, []);

  useEffect(() => {
    const { series, categories, formatValue } = props;
    chart.current?.setOption(
      {
        color: PALETTE,
        animation: false,
        aria: { enabled: true, decal: { show: true }, label: { description: props.label } },
        grid: { left: 56, right: 16, top: 36, bottom: 28 },
        legend: { type: "scroll", top: 0 },
        tooltip: {
          trigger: "axis",
          valueFormatter: (v: unknown) => formatValue(typeof v === "number" ? v : null),
          formatter: (items: unknown) => {
            const list = items as { seriesIndex: number; dataIndex: number; marker: string; seriesName: string; value: number | null; axisValueLabel: string }[];
            const rows = list.map((i) => {
              const note = series[i.seriesIndex]?.notes?.[i.dataIndex];
              return `${i.marker}${escapeHtml(i.seriesName)}: <b>${escapeHtml(formatValue(i.value))}</b>${note ? ` <span style="color:#555">(${escapeHtml(note)})</span>` : ""}`;
            });
            return [`<b>${escapeHtml(list[0]?.axisValueLabel ?? "")}</b>`, ...rows].join("<br>");
          },
        },
        xAxis: { type: "category", data: categories, boundaryGap: series.some((s) => s.type === "bar") },
        yAxis: { type: "value", axisLabel: { formatter: (v: number) => formatValue(v) } },
        series: series.map((s) => ({
          name: s.name,
          type: s.type,
          data: s.faint ? s.data.map((value, i) => (s.faint![i] ? { value, itemStyle: { opacity: 0.3 } } : value)) : s.data,
          stack: s.stack,
          showSymbol: s.data.length <= 62,
          connectNulls: false,
          lineStyle: s.dashed ? { type: "dashed", width: 1.5 } : undefined,
          itemStyle: { color: s.color, ...(s.dashed ? { opacity: 0.6 } : {}) },
        })),
      },
      { notMerge: true },
    );
  }, [props.series, props.categories]);

  return (
    <div
      class="chart"
      ref={el}
      role="img"
      aria-label={props.label}
      data-series={JSON.stringify(props.series.map((s) => ({ name: s.name, data: s.data, faint: s.faint })))}
      style={{ height: `${props.height ?? 280}px` }}
    />
  );
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
