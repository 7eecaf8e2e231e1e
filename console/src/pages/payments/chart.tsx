// The daily volume chart (recharts; loaded on its own, only by the payments page). The bars are
// a picture for sighted users; the same numbers are in a table for screen readers.
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { currentLang } from '../../i18n.ts';
import { formatMoney } from '../../lib/format.ts';
import type { MerchantSummary } from '../../lib/types.ts';

type Day = MerchantSummary['volume'][number];

const LOCALES = { es: 'es-VE', en: 'en-US' } as const;

/** "5 dic." — a UTC day as a short date in the console's language. */
function shortDay(date: string): string {
  return new Intl.DateTimeFormat(LOCALES[currentLang()], { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

function compact(value: number): string {
  return new Intl.NumberFormat(LOCALES[currentLang()], { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function VolumeChart({ days, currency }: { days: Day[]; currency: string }) {
  const { t } = useTranslation();
  const data = days.map((d) => ({ date: d.date, label: shortDay(d.date), value: Number(d.amount), amount: d.amount, count: d.count }));
  return (
    <>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="#e3e7ec" />
            <XAxis
              dataKey="label"
              tickLine={false}
              axisLine={{ stroke: '#d5dae0' }}
              tick={{ fontSize: 12, fill: '#545d68' }}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis width={48} tickLine={false} axisLine={false} tick={{ fontSize: 12, fill: '#545d68' }} tickFormatter={compact} allowDecimals={false} />
            <Tooltip
              cursor={{ fill: '#e6f0fa' }}
              formatter={(_value, _name, item) => [formatMoney((item.payload as { amount: string }).amount, currency), t('payments.amount')]}
              labelFormatter={(label) => String(label)}
            />
            <Bar dataKey="value" fill="#0b5cad" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>{t('payments.volumeTitle')}</caption>
        <tbody>
          {days
            .filter((d) => d.count > 0)
            .map((d) => (
              <tr key={d.date}>
                <td>{t('payments.volumeDay', { date: shortDay(d.date), amount: formatMoney(d.amount, currency), count: d.count })}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}

export default VolumeChart;
