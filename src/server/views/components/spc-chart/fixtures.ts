import { spcChart, type ChartInput } from '../../../charts/spc-chart.js';

/**
 * Named examples of the SPC chart component, drawn from made-up series; the component tests
 * render each and the browser test runs axe over them.
 */
const months = Array.from({ length: 24 }, (_, i) => `20${23 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

function example(input: ChartInput, id: string) {
  const chart = spcChart({ ...input, labelledBy: `${id}-caption` });
  return {
    id,
    chart,
    csvHref: '/api/v1/series/RAA/ae_4hr?format=csv',
    table: {
      caption: `${input.measure}: figures`,
      head: [{ text: 'Month' }, { text: 'Value', format: 'numeric' }],
      rows: input.points.map((point) => [{ text: point.period }, { text: point.value === null ? 'not reported' : point.value.toFixed(1), format: 'numeric' }]),
    },
  };
}

export const fixtures = {
  'values only': example({
    measure: 'Synthetic measure',
    orgName: 'Synthetic Trust',
    unit: 'percent',
    frequency: 'month',
    points: months.map((period, i) => ({ period, value: 70 + ((i * 7) % 5) })),
  }, 'chart-values'),
  'with limits, target and special cause': example({
    measure: 'Synthetic measure',
    orgName: 'Synthetic Trust',
    unit: 'percent',
    frequency: 'month',
    target: 78,
    points: months.map((period, i) => ({
      period,
      value: i === 23 ? 84 : 70 + ((i * 7) % 5),
      mean: 72,
      lpl: 66,
      upl: 78,
      pointType: i === 23 ? 'special_cause_improvement' : 'common_cause',
    })),
  }, 'chart-limits'),
  'with a missing month': example({
    measure: 'Synthetic count',
    orgName: 'Synthetic Trust',
    unit: 'count',
    frequency: 'month',
    points: months.map((period, i) => ({ period, value: i === 5 ? null : 1000 + i * 10 })),
  }, 'chart-missing'),
};
