import { assuranceIconSvg, variationIconSvg } from '../../../../analysis/spc/icon-svg.js';
import { sparklineSvg } from '../../../charts/sparkline.js';

/** Named examples of an organisation's scorecard (made-up figures); component and axe tests use them. */
const row = (title: string, value: string, verdict: { text: string; colour: string }, trend: number[]) => ({
  title,
  href: '/org/RAA/ae_4hr',
  value,
  period: 'March 2025',
  target: 'at least 78.0%',
  verdict,
  variationHtml: variationIconSvg('common_cause', { size: 32 }),
  assuranceHtml: assuranceIconSvg('consistent_fail', { size: 32 }),
  sparklineHtml: sparklineSvg(trend, { target: 78 }),
  trendText: `From ${trend[0]}% to ${trend.at(-1)}%.`,
});

export const fixtures = {
  'this year only': {
    caption: 'Targets for 2025/26 and standing standards, figures to March 2025',
    rows: [
      row('78% within 4 hours in March 2026', '72.3%', { text: 'Not met yet', colour: 'orange' }, [70, 71, 73, 72, 72.3]),
      { ...row('95% within 4 hours', '72.3%', { text: 'Not met', colour: 'red' }, [70, 71, 73, 72, 72.3]), assuranceHtml: '' },
    ],
  },
  'with earlier years folded': {
    caption: 'Targets for 2025/26 and standing standards',
    rows: [row('78% within 4 hours in March 2026', '80.1%', { text: 'Meeting it now', colour: 'green' }, [76, 79, 80.1])],
    earlier: {
      summary: 'Targets of earlier years (1)',
      caption: 'Targets of earlier guidance years',
      rows: [row('78% within 4 hours in March 2025', '75.0%', { text: 'Not met', colour: 'red' }, [74, 75])],
    },
  },
} as const;
