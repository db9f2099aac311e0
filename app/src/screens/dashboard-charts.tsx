import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import type { CampaignList, SalesCycle } from '../../../shared/campaigns'
import type { CampaignSeries, FormsReport, Interval } from '../../../shared/reports'
import { TableAlternative } from '../components/table-alternative'
import { defineTexts, useFormats, useTexts } from '../i18n'
import { paths } from '../paths'
import './dashboard-charts.css'

/**
 * The dashboard's charts (docs/app.md#dashboard, docs/report.md): cost per lead or per SQL by
 * campaign over time (uPlot, loaded only here), the sales-cycle distribution and each form's
 * views, starts and submissions. Every chart has a table with the same figures.
 */

const TEXTS = defineTexts({
  costsTitle: { de: 'Kosten nach Kampagne im Zeitverlauf', en: 'Costs by campaign over time' },
  metric: { de: 'Kennzahl', en: 'Figure' },
  cpl: { de: 'Kosten pro Lead', en: 'Cost per lead' },
  costPerSql: { de: 'Kosten pro SQL', en: 'Cost per SQL' },
  interval: { de: 'Zeitraster', en: 'Interval' },
  day: { de: 'Tage', en: 'Days' },
  week: { de: 'Wochen', en: 'Weeks' },
  period: { de: 'Zeitraum', en: 'Period' },
  daysLimit: {
    de: (n: string) => `Nach Tagen nur bis ${n} Tage.`,
    en: (n: string) => `By day only up to ${n} days.`,
  },
  campaigns: { de: 'Kampagnen', en: 'Campaigns' },
  noCampaign: { de: '(ohne Kampagne)', en: '(no campaign)' },
  noSpend: {
    de: 'Keine Ausgaben im Zeitraum: ohne Ausgaben gibt es keine Kosten pro Lead.',
    en: 'No spend in this period: without spend there is no cost per lead.',
  },
  withoutSpend: {
    de: (names: string) => `Ohne Ausgaben (nicht im Diagramm): ${names}.`,
    en: (names: string) => `Without spend (not in the chart): ${names}.`,
  },
  gap: {
    de: 'Lücken in einer Linie: Zeiträume ohne Ausgaben oder ohne Leads (bzw. SQLs).',
    en: 'Gaps in a line: periods without spend or without leads (or SQLs).',
  },
  showTable: { de: 'Als Tabelle zeigen', en: 'Show as table' },
  tableOf: {
    de: (title: string) => `${title}: Tabelle`,
    en: (title: string) => `${title}: table`,
  },
  chartLabel: {
    de: (metric: string, currency: string, from: string, to: string, lines: string) =>
      `Liniendiagramm: ${metric} in ${currency} vom ${from} bis ${to}. ${lines}`,
    en: (metric: string, currency: string, from: string, to: string, lines: string) =>
      `Line chart: ${metric} in ${currency} from ${from} to ${to}. ${lines}`,
  },
  lineRange: {
    de: (name: string, low: string, high: string) => `${name}: ${low} bis ${high}.`,
    en: (name: string, low: string, high: string) => `${name}: ${low} to ${high}.`,
  },
  lineEmpty: {
    de: (name: string) => `${name}: kein Wert.`,
    en: (name: string) => `${name}: no value.`,
  },
  chartLoading: { de: 'Diagramm wird geladen …', en: 'Loading the chart …' },
  chartFailed: {
    de: 'Das Diagramm konnte nicht geladen werden; die Tabelle darunter hat seine Zahlen.',
    en: 'The chart could not be loaded; the table below has its figures.',
  },
  leadsCount: {
    de: (n: number, shown: string) => `${shown} ${n === 1 ? 'Lead' : 'Leads'}`,
    en: (n: number, shown: string) => `${shown} ${n === 1 ? 'lead' : 'leads'}`,
  },
  sqlsCount: {
    de: (n: number, shown: string) => `${shown} ${n === 1 ? 'SQL' : 'SQLs'}`,
    en: (n: number, shown: string) => `${shown} ${n === 1 ? 'SQL' : 'SQLs'}`,
  },
  cycleTitle: { de: 'Dauer bis zum Abschluss', en: 'Sales cycle' },
  cycleNone: {
    de: 'Noch ist kein Lead dieses Zeitraums Kunde geworden, daher gibt es keine Dauer bis zum Abschluss.',
    en: 'No lead of this period has become a customer yet, so there is no sales cycle to show.',
  },
  cycleSummary: {
    de: (customers: string, median: string, p90: string) =>
      `${customers}. Median: ${median}. 90. Perzentil: ${p90}.`,
    en: (customers: string, median: string, p90: string) =>
      `${customers}. Median: ${median}. 90th percentile: ${p90}.`,
  },
  customersCount: {
    de: (n: number, shown: string) => `${shown} ${n === 1 ? 'Kunde' : 'Kunden'}`,
    en: (n: number, shown: string) => `${shown} ${n === 1 ? 'customer' : 'customers'}`,
  },
  daysCount: {
    de: (n: number, shown: string) => `${shown} ${n === 1 ? 'Tag' : 'Tage'}`,
    en: (n: number, shown: string) => `${shown} ${n === 1 ? 'day' : 'days'}`,
  },
  cycleCustomers: {
    de: (customers: string) => `${customers} in der Leadliste`,
    en: (customers: string) => `${customers} in the lead list`,
  },
  cycleHelp: {
    de: 'Vom ersten Kontakt (oder dem Anlegen des Leads) bis zum Abschluss, für die Leads, die im Zeitraum entstanden sind.',
    en: 'From the first touch (or the lead’s creation) to the deal, for the leads created in the period.',
  },
  cycleChart: {
    de: (summary: string) => `Histogramm der Dauer bis zum Abschluss. ${summary}`,
    en: (summary: string) => `Histogram of the sales cycle. ${summary}`,
  },
  bucket: { de: 'Dauer (Tage)', en: 'Duration (days)' },
  customers: { de: 'Kunden', en: 'Customers' },
  daysRange: {
    de: (from: number, to: number) => `${from}–${to}`,
    en: (from: number, to: number) => `${from}–${to}`,
  },
  daysOpen: {
    de: (from: number) => `ab ${from}`,
    en: (from: number) => `${from}+`,
  },
  median: { de: 'Median', en: 'Median' },
  p90: { de: 'P90', en: 'P90' },
  formsTitle: {
    de: 'Formulare: Aufrufe, Starts, Absendungen',
    en: 'Forms: views, starts, submissions',
  },
  formsNone: { de: 'Diese Website hat noch keine Formulare.', en: 'This site has no forms yet.' },
  formsHelp: {
    de: 'Aufrufe und Starts zählen Ereignisse, nicht Personen: wer ein Formular zweimal sieht, zählt zweimal.',
    en: 'Views and starts count events, not people: someone who sees a form twice counts twice.',
  },
  form: { de: 'Formular', en: 'Form' },
  views: { de: 'Aufrufe', en: 'Views' },
  starts: { de: 'Starts', en: 'Starts' },
  submissions: { de: 'Absendungen', en: 'Submissions' },
  viewToStart: { de: 'Aufruf → Start', en: 'View → start' },
  startToSubmission: { de: 'Start → Absendung', en: 'Start → submission' },
  viewToSubmission: { de: 'Aufruf → Absendung', en: 'View → submission' },
  dropOff: {
    de: (afterView: string, afterStart: string) =>
      `Absprung nach dem Aufruf: ${afterView}; nach dem Start: ${afterStart}.`,
    en: (afterView: string, afterStart: string) =>
      `Drop-off after the view: ${afterView}; after the start: ${afterStart}.`,
  },
})

type Texts = ReturnType<typeof useTexts<typeof TEXTS>>
type Formats = ReturnType<typeof useFormats>

export interface DashboardChartsProps {
  siteKey: string
  from: string
  to: string
  attribution: 'first' | 'last'
  /** The site's campaigns, loaded with the figures; their names label the lines. */
  campaigns: CampaignList | null
  /** The figures, from `GET .../reports/dashboard` (docs/app.md#dashboard). */
  series: CampaignSeries
  salesCycle: SalesCycle
  forms: FormsReport
}

/**
 * Whether `[from, to]` may be shown by day: the series answers at most 400 periods
 * (docs/report.md#time-series), so a longer range is shown by week, whatever the URL asks.
 */
export const daysAllowedFor = (from: string, to: string) =>
  (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 <= MAX_DAYS

/** The interval the URL asks for, where the range allows it. */
export const intervalOf = (query: Record<string, string>, from: string, to: string): Interval =>
  query.interval === 'day' && daysAllowedFor(from, to) ? 'day' : 'week'

export function DashboardCharts(props: DashboardChartsProps) {
  return (
    <div class="dashboard-charts">
      <CampaignCosts {...props} />
      <SalesCycleChart {...props} />
      <FormFunnels {...props} />
    </div>
  )
}

/** `MAX_PERIODS` of shared/reports.ts (not imported: that module brings zod along). */
const MAX_DAYS = 400

/** `(none)`, the report's row of leads without a campaign touch (docs/report.md). */
const NO_CAMPAIGN = '(none)'

/**
 * Line colours (3:1 or more against white) and dash patterns, so lines differ by more than
 * colour; the legend draws each line the same way.
 */
const COLORS = ['#0b5cad', '#a40e26', '#116329', '#8a4600', '#6639ba', '#1b7c83', '#bf3989']
const DASHES: number[][] = [[], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4]]
const styleOf = (index: number) => ({
  color: COLORS[index % COLORS.length]!,
  dash: DASHES[index % DASHES.length]!,
})

/** The minor digits of a currency (EUR 2, JPY 0), so the chart's axis is in major units. */
const minorDigitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits ?? 2

const leadsLink = (siteKey: string, query: Record<string, string>) =>
  `${paths.leads(siteKey)}?${new URLSearchParams(query)}`

function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="chart-section" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  )
}

function CampaignCosts(props: DashboardChartsProps) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const location = useLocation()
  // The series answers at most MAX_PERIODS (400) periods (docs/report.md#time-series): a longer
  // range is shown by week, whatever the URL asks.
  const daysAllowed = daysAllowedFor(props.from, props.to)
  // The switch follows the URL at once; the figures follow when they arrive.
  const interval = intervalOf(location.query, props.from, props.to)
  const [metric, setMetric] = useState<'cpl' | 'costPerSql'>('cpl')
  const setInterval = (next: Interval) => {
    const query = new URLSearchParams(location.url.split('?')[1] ?? '')
    query.set('interval', next)
    location.route(`${location.path}?${query}`)
  }
  return (
    <Section id="chart-costs" title={t.costsTitle}>
      <div class="chart-switches">
        <fieldset>
          <legend>{t.metric}</legend>
          {(['cpl', 'costPerSql'] as const).map((value) => (
            <label class="inline">
              <input
                type="radio"
                name="chart-metric"
                value={value}
                checked={metric === value}
                onChange={() => setMetric(value)}
              />
              {t[value]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t.interval}</legend>
          {(['day', 'week'] as const).map((value) => (
            <label class="inline">
              <input
                type="radio"
                name="chart-interval"
                value={value}
                checked={interval === value}
                disabled={value === 'day' && !daysAllowed}
                aria-describedby={value === 'day' && !daysAllowed ? 'chart-days-limit' : undefined}
                onChange={() => setInterval(value)}
              />
              {t[value]}
            </label>
          ))}
          {!daysAllowed && (
            <span class="hint" id="chart-days-limit">
              {t.daysLimit(f.integer(MAX_DAYS))}
            </span>
          )}
        </fieldset>
      </div>
      {((series: CampaignSeries) => {
        // Names only decorate the keys: a role that may not list campaigns still sees the chart.
        const names = new Map(
          (props.campaigns?.campaigns ?? []).map((c) => [c.campaignKey, c.name ?? c.campaignKey]),
        )
        const nameOf = (key: string) =>
          key === NO_CAMPAIGN ? t.noCampaign : (names.get(key) ?? key)
        const currencies = [...new Set(series.series.flatMap((s) => s.currency ?? []))]
        const unpaid = series.series.filter((s) => s.currency === null)
        return (
          <>
            {currencies.length === 0 && <p>{t.noSpend}</p>}
            {currencies.map((currency) => (
              <CostChart
                key={currency}
                siteKey={props.siteKey}
                attribution={props.attribution}
                series={series}
                currency={currency}
                metric={metric}
                nameOf={nameOf}
                texts={t}
                formats={f}
                multi={currencies.length > 1}
              />
            ))}
            {currencies.length > 0 && <p class="hint">{t.gap}</p>}
            {unpaid.length > 0 && currencies.length > 0 && (
              <p class="hint">{t.withoutSpend(unpaid.map((s) => nameOf(s.campaign)).join(', '))}</p>
            )}
          </>
        )
      })(props.series)}
    </Section>
  )
}

function CostChart(props: {
  siteKey: string
  attribution: 'first' | 'last'
  series: CampaignSeries
  currency: string
  metric: 'cpl' | 'costPerSql'
  nameOf: (key: string) => string
  texts: Texts
  formats: Formats
  multi: boolean
}) {
  const { series, currency, metric, texts: t, formats: f } = props
  const lines = series.series
    .filter((s) => s.currency === currency)
    .map((s, index) => ({
      campaign: s.campaign,
      name: props.nameOf(s.campaign),
      points: s.points,
      values: s.points.map((p) => p[metric]),
      ...styleOf(index),
    }))
  const periodLabel = (period: { from: string; to: string }) =>
    period.from === period.to ? f.day(period.from) : `${f.day(period.from)} – ${f.day(period.to)}`
  const summary = lines
    .map((line) => {
      const present = line.values.filter((v): v is number => v !== null)
      return present.length
        ? t.lineRange(
            line.name,
            f.money(Math.min(...present), currency),
            f.money(Math.max(...present), currency),
          )
        : t.lineEmpty(line.name)
    })
    .join(' ')
  const label = t.chartLabel(t[metric], currency, f.day(series.from), f.day(series.to), summary)
  const caption = props.multi ? `${t[metric]} (${currency})` : t[metric]
  return (
    <figure class="cost-chart">
      <figcaption>{caption}</figcaption>
      <LineChart
        xLabels={series.periods.map((p) => p.from)}
        formatX={(day) => f.day(day)}
        lines={lines.map((line) => ({
          label: line.name,
          color: line.color,
          dash: line.dash,
          values: line.values.map((v) => (v === null ? null : v / 10 ** minorDigitsOf(currency))),
        }))}
        formatY={(major) => f.money(Math.round(major * 10 ** minorDigitsOf(currency)), currency)}
        label={label}
        loadingText={t.chartLoading}
        failedText={t.chartFailed}
      />
      <ul class="chart-legend" aria-label={t.campaigns}>
        {lines.map((line) => (
          <li>
            <svg width="28" height="10" aria-hidden="true" focusable="false">
              <line
                x1="0"
                y1="5"
                x2="28"
                y2="5"
                stroke={line.color}
                stroke-width="2.5"
                stroke-dasharray={line.dash.length ? line.dash.join(' ') : undefined}
              />
            </svg>
            {line.name}
          </li>
        ))}
      </ul>
      <TableAlternative summary={t.showTable} label={t.tableOf(caption)} caption={caption}>
        <thead>
          <tr>
            <th scope="col">{t.period}</th>
            {lines.map((line) => (
              <th scope="col" class="num">
                {line.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {series.periods.map((period, index) => (
            <tr>
              <th scope="row">{periodLabel(period)}</th>
              {lines.map((line) => {
                const point = line.points[index]!
                const count = metric === 'cpl' ? point.leads : point.sqls
                return (
                  <td class="num">
                    <span class="chart-money">{f.money(point[metric], currency)}</span>
                    {count > 0 && (
                      <a
                        class="chart-count"
                        href={leadsLink(props.siteKey, {
                          campaign: line.campaign,
                          attribution: props.attribution,
                          createdFrom: period.from,
                          createdTo: period.to,
                          reached: metric === 'cpl' ? 'lead' : 'sql',
                        })}
                      >
                        {metric === 'cpl'
                          ? t.leadsCount(count, f.integer(count))
                          : t.sqlsCount(count, f.integer(count))}
                      </a>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </figure>
  )
}

interface Line {
  label: string
  color: string
  dash: number[]
  values: (number | null)[]
}

/**
 * A uPlot line chart, uPlot and its style sheet loaded on first use so they stay out of the
 * app's first load (docs/app.md#size). x is the period's index; a null value is a gap.
 */
function LineChart(props: {
  xLabels: string[]
  formatX: (label: string) => string
  lines: Line[]
  formatY: (value: number) => string
  label: string
  loadingText: string
  failedText: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading')
  useEffect(() => {
    const element = box.current
    if (!element) return
    let chart: { destroy: () => void; setSize: (size: { width: number; height: number }) => void }
    let observer: ResizeObserver | undefined
    let gone = false
    const height = 260
    void (async () => {
      const [{ default: uPlot }] = await Promise.all([
        import('uplot'),
        import('uplot/dist/uPlot.min.css'),
      ])
      if (gone) return
      const count = props.xLabels.length
      const width = Math.max(200, element.clientWidth)
      const all = props.lines.flatMap((line) => line.values.filter((v): v is number => v !== null))
      const top = all.length ? Math.max(...all) : 1
      const axis = {
        stroke: '#57606a',
        font: '12px system-ui, sans-serif',
        grid: { stroke: '#d0d7de', width: 1 },
        ticks: { stroke: '#d0d7de', width: 1 },
      }
      chart = new uPlot(
        {
          width,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: {
            x: { time: false, range: () => [-0.5, count - 0.5] },
            y: { range: () => [0, top * 1.1 || 1] },
          },
          axes: [
            {
              ...axis,
              // Whole periods only, as many labels as fit (about 90 px each).
              splits: (u: { bbox: { width: number } }) => {
                const fit = Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 90))
                const step = Math.max(1, Math.ceil(count / fit))
                const splits: number[] = []
                for (let i = 0; i < count; i += step) splits.push(i)
                return splits
              },
              values: (_u: unknown, splits: number[]) =>
                splits.map((i) => props.formatX(props.xLabels[i] ?? '')),
            },
            {
              ...axis,
              size: 84,
              values: (_u: unknown, splits: number[]) => splits.map((v) => props.formatY(v)),
            },
          ],
          series: [
            {},
            ...props.lines.map((line) => ({
              label: line.label,
              stroke: line.color,
              width: 2.5,
              dash: line.dash,
              spanGaps: false,
              points: { show: true, size: 6, fill: line.color },
            })),
          ],
        },
        [props.xLabels.map((_, i) => i), ...props.lines.map((line) => line.values)],
        element,
      )
      const canvas = element.querySelector('canvas')
      canvas?.setAttribute('role', 'img')
      canvas?.setAttribute('aria-label', props.label)
      setState('ready')
      observer = new ResizeObserver(() => {
        const next = Math.max(200, element.clientWidth)
        chart.setSize({ width: next, height })
      })
      observer.observe(element)
    })().catch(() => gone || setState('failed'))
    return () => {
      gone = true
      observer?.disconnect()
      chart?.destroy()
    }
  }, [props.label, props.xLabels.join(), JSON.stringify(props.lines)])
  return (
    <div class="line-chart">
      {state === 'loading' && (
        <p class="loading" role="status">
          {props.loadingText}
        </p>
      )}
      {state === 'failed' && <p class="hint">{props.failedText}</p>}
      <div ref={box} />
    </div>
  )
}

function SalesCycleChart(props: DashboardChartsProps) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  return (
    <Section id="chart-cycle" title={t.cycleTitle}>
      <p class="hint">{t.cycleHelp}</p>
      {((cycle: SalesCycle) => {
        if (cycle.customers === 0) return <p class="chart-empty">{t.cycleNone}</p>
        const days = (value: number | null) =>
          value === null ? '–' : t.daysCount(value, f.decimal(value))
        const customers = t.customersCount(cycle.customers, f.integer(cycle.customers))
        const summary = t.cycleSummary(customers, days(cycle.medianDays), days(cycle.p90Days))
        const bucketLabel = (bucket: SalesCycle['buckets'][number]) =>
          bucket.toDays === null
            ? t.daysOpen(bucket.fromDays)
            : t.daysRange(bucket.fromDays, bucket.toDays)
        return (
          <>
            <p class="cycle-summary">{summary}</p>
            <Histogram
              cycle={cycle}
              label={t.cycleChart(summary)}
              bucketLabel={bucketLabel}
              texts={t}
              formats={f}
            />
            <p>
              <a
                href={leadsLink(props.siteKey, {
                  createdFrom: props.from,
                  createdTo: props.to,
                  attribution: props.attribution,
                  reached: 'customer',
                })}
              >
                {t.cycleCustomers(customers)}
              </a>
            </p>
            <TableAlternative
              summary={t.showTable}
              label={t.tableOf(t.cycleTitle)}
              caption={t.cycleTitle}
            >
              <thead>
                <tr>
                  <th scope="col">{t.bucket}</th>
                  <th scope="col" class="num">
                    {t.customers}
                  </th>
                </tr>
              </thead>
              <tbody>
                {cycle.buckets.map((bucket) => (
                  <tr>
                    <th scope="row">{bucketLabel(bucket)}</th>
                    <td class="num">{f.integer(bucket.customers)}</td>
                  </tr>
                ))}
              </tbody>
            </TableAlternative>
          </>
        )
      })(props.salesCycle)}
    </Section>
  )
}

/**
 * The buckets as bars of equal width (they span unequal days, so the axis is by bucket, not by
 * day); median and p90 are marked where they fall inside their bucket.
 */
function Histogram(props: {
  cycle: SalesCycle
  label: string
  bucketLabel: (bucket: SalesCycle['buckets'][number]) => string
  texts: Texts
  formats: Formats
}) {
  const { cycle, texts: t, formats: f } = props
  const barWidth = 60
  const plotHeight = 150
  // Above the bars: a band for the marks' names (two lines), then one for the bars' counts.
  const top = 46
  const width = barWidth * cycle.buckets.length
  const height = top + plotHeight + 24
  const most = Math.max(1, ...cycle.buckets.map((b) => b.customers))
  const xOf = (days: number) => {
    const index = cycle.buckets.findIndex((b) => b.toDays === null || days < b.toDays)
    const bucket = cycle.buckets[index]!
    const span = bucket.toDays === null ? bucket.fromDays || 1 : bucket.toDays - bucket.fromDays
    return (index + Math.min(1, (days - bucket.fromDays) / span)) * barWidth
  }
  const marks: [string, number, string][] = []
  if (cycle.medianDays !== null) marks.push([t.median, cycle.medianDays, 'cycle-median'])
  if (cycle.p90Days !== null) marks.push([t.p90, cycle.p90Days, 'cycle-p90'])
  return (
    <svg
      class="histogram"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.label}
      preserveAspectRatio="xMidYMid meet"
    >
      {cycle.buckets.map((bucket, index) => {
        const h = (bucket.customers / most) * plotHeight
        const x = index * barWidth
        return (
          <g>
            <rect
              class="histogram-bar"
              x={x + 6}
              y={top + plotHeight - h}
              width={barWidth - 12}
              height={h}
            />
            <text class="histogram-count" x={x + barWidth / 2} y={top + plotHeight - h - 4}>
              {f.integer(bucket.customers)}
            </text>
            <text class="histogram-label" x={x + barWidth / 2} y={top + plotHeight + 16}>
              {props.bucketLabel(bucket)}
            </text>
          </g>
        )
      })}
      <line class="histogram-axis" x1="0" x2={width} y1={top + plotHeight} y2={top + plotHeight} />
      {marks.map(([name, days, kind], index) => (
        <g class={kind}>
          <line x1={xOf(days)} x2={xOf(days)} y1={index === 0 ? 2 : 16} y2={top + plotHeight} />
          <text
            x={xOf(days)}
            y={index === 0 ? 12 : 27}
            text-anchor={xOf(days) > width - 60 ? 'end' : 'start'}
            dx={xOf(days) > width - 60 ? -3 : 3}
          >
            {`${name} ${f.decimal(days)}`}
          </text>
        </g>
      ))}
    </svg>
  )
}

function FormFunnels(props: DashboardChartsProps) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  return (
    <Section id="chart-forms" title={t.formsTitle}>
      <p class="hint">{t.formsHelp}</p>
      {(({ forms }: FormsReport) =>
        forms.length === 0 ? (
          <p class="chart-empty">{t.formsNone}</p>
        ) : (
          <>
            <ul class="form-funnels">
              {forms.map((form) => {
                const most = Math.max(1, form.views, form.starts, form.submissions)
                const steps = [
                  [t.views, form.views],
                  [t.starts, form.starts],
                  [t.submissions, form.submissions],
                ] as const
                return (
                  <li class="form-funnel">
                    <h3>{form.title}</h3>
                    <dl class="form-bars">
                      {steps.map(([label, value]) => (
                        <div class="form-bar-row">
                          <dt>{label}</dt>
                          <dd>
                            <span class="form-bar-track" aria-hidden="true">
                              <span
                                class="form-bar"
                                style={{ width: `${(value / most) * 100}%` }}
                              />
                            </span>
                            <span class="form-bar-value">{f.integer(value)}</span>
                          </dd>
                        </div>
                      ))}
                    </dl>
                    <p class="form-dropoff">
                      {t.dropOff(
                        f.percent(form.dropOffAfterView),
                        f.percent(form.dropOffAfterStart),
                      )}
                    </p>
                  </li>
                )
              })}
            </ul>
            <TableAlternative
              summary={t.showTable}
              label={t.tableOf(t.formsTitle)}
              caption={t.formsTitle}
            >
              <thead>
                <tr>
                  <th scope="col">{t.form}</th>
                  <th scope="col" class="num">
                    {t.views}
                  </th>
                  <th scope="col" class="num">
                    {t.starts}
                  </th>
                  <th scope="col" class="num">
                    {t.submissions}
                  </th>
                  <th scope="col" class="num">
                    {t.viewToStart}
                  </th>
                  <th scope="col" class="num">
                    {t.startToSubmission}
                  </th>
                  <th scope="col" class="num">
                    {t.viewToSubmission}
                  </th>
                </tr>
              </thead>
              <tbody>
                {forms.map((form) => (
                  <tr>
                    <th scope="row">{form.title}</th>
                    <td class="num">{f.integer(form.views)}</td>
                    <td class="num">{f.integer(form.starts)}</td>
                    <td class="num">{f.integer(form.submissions)}</td>
                    <td class="num">{f.percent(form.viewToStart)}</td>
                    <td class="num">{f.percent(form.startToSubmission)}</td>
                    <td class="num">{f.percent(form.viewToSubmission)}</td>
                  </tr>
                ))}
              </tbody>
            </TableAlternative>
          </>
        ))(props.forms)}
    </Section>
  )
}
