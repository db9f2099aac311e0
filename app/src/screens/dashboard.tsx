import type { CampaignReport, ReportRow } from '../../../shared/campaigns'
import { api, download } from '../api'
import { defineTexts, useFormats, useTexts } from '../i18n'
import { paths } from '../paths'
import { Loaded, PageTitle, useLoad } from '../ui'
import { DashboardCharts } from './dashboard-charts'
import './dashboard.css'

/**
 * The dashboard (docs/report.md): the campaign report's totals for a period
 * against the previous period of equal length. The period lives in the URL
 * query (`?from=&to=&attribution=`), so a view is a link. First increment:
 * tiles with change, drill-down links and the CSV downloads.
 */

const TEXTS = defineTexts({
  title: { de: 'Dashboard', en: 'Dashboard' },
  period: { de: 'Zeitraum', en: 'Period' },
  last7: { de: 'Letzte 7 Tage', en: 'Last 7 days' },
  last30: { de: 'Letzte 30 Tage', en: 'Last 30 days' },
  last90: { de: 'Letzte 90 Tage', en: 'Last 90 days' },
  first: { de: 'Erster Kontakt', en: 'First touch' },
  last: { de: 'Letzter Kontakt', en: 'Last touch' },
  leads: { de: 'Leads', en: 'Leads' },
  mqls: { de: 'MQLs', en: 'MQLs' },
  sqls: { de: 'SQLs', en: 'SQLs' },
  customers: { de: 'Kunden', en: 'Customers' },
  spend: { de: 'Ausgaben', en: 'Spend' },
  cpl: { de: 'Kosten pro Lead', en: 'Cost per lead' },
  costPerSql: { de: 'Kosten pro SQL', en: 'Cost per SQL' },
  up: {
    de: (p: string) => `▲ ${p} zum Vorzeitraum`,
    en: (p: string) => `▲ ${p} vs previous period`,
  },
  down: {
    de: (p: string) => `▼ ${p} zum Vorzeitraum`,
    en: (p: string) => `▼ ${p} vs previous period`,
  },
  noChange: { de: 'kein Vergleich', en: 'no comparison' },
  csv: { de: 'CSV (maschinenlesbar)', en: 'CSV (machine)' },
  readableCsv: { de: 'CSV (lesbar)', en: 'CSV (readable)' },
})

const dayOffset = (base: string, offset: number) => {
  const date = new Date(`${base}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + offset)
  return date.toISOString().slice(0, 10)
}
const today = () => new Date().toISOString().slice(0, 10)
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

function periodFromUrl() {
  const query = new URLSearchParams(location.search)
  const to = DAY_RE.test(query.get('to') ?? '') ? query.get('to')! : today()
  const from = DAY_RE.test(query.get('from') ?? '') ? query.get('from')! : dayOffset(to, -29)
  const attribution = query.get('attribution') === 'last' ? 'last' : 'first'
  const length = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1
  return {
    from,
    to,
    attribution,
    previous: { from: dayOffset(from, -length), to: dayOffset(from, -1) },
  } as const
}

/** The total of the first currency (the report has one per currency). */
const totalOf = (report: CampaignReport): ReportRow | undefined => report.totals[0]

export function Dashboard(props: { siteKey: string; leadId?: string }) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const period = periodFromUrl()
  const base = `/v1/admin/sites/${encodeURIComponent(props.siteKey)}/reports/campaigns`
  const [data, reload] = useLoad(
    (signal) =>
      Promise.all([
        api<CampaignReport>(base, {
          query: { from: period.from, to: period.to, attribution: period.attribution },
          signal,
        }),
        api<CampaignReport>(base, {
          query: { ...period.previous, attribution: period.attribution },
          signal,
        }),
      ]),
    [props.siteKey, location.search],
  )
  const link = (query: Record<string, string>) =>
    `${paths.dashboard(props.siteKey)}?${new URLSearchParams(query)}`
  const drill = (reached: string) =>
    `${paths.leads(props.siteKey)}?${new URLSearchParams({
      createdFrom: period.from,
      createdTo: period.to,
      attribution: period.attribution,
      reached,
    })}`
  const query = { from: period.from, to: period.to, attribution: period.attribution }
  return (
    <PageTitle title={t.title}>
      <nav class="dashboard-periods" aria-label={t.period}>
        {(
          [
            [t.last7, 6],
            [t.last30, 29],
            [t.last90, 89],
          ] as const
        ).map(([label, days]) => (
          <a
            href={link({
              from: dayOffset(today(), -days),
              to: today(),
              attribution: period.attribution,
            })}
          >
            {label}
          </a>
        ))}
        <a
          href={link({ ...query, attribution: 'first' })}
          aria-current={period.attribution === 'first' ? 'true' : undefined}
        >
          {t.first}
        </a>
        <a
          href={link({ ...query, attribution: 'last' })}
          aria-current={period.attribution === 'last' ? 'true' : undefined}
        >
          {t.last}
        </a>
        <button
          type="button"
          class="secondary"
          onClick={() => download(base, { ...query, format: 'csv' }, 'campaigns.csv')}
        >
          {t.csv}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            download(
              base,
              { ...query, format: 'readable-csv', lang: f.locale.startsWith('de') ? 'de' : 'en' },
              'campaigns.csv',
            )
          }
        >
          {t.readableCsv}
        </button>
      </nav>
      <p>
        {f.day(period.from)} – {f.day(period.to)}
      </p>
      <Loaded value={data} onRetry={reload}>
        {([current, previous]) => {
          const now = totalOf(current)
          const before = totalOf(previous)
          const change = (a: number | null | undefined, b: number | null | undefined) => {
            if (a == null || b == null || b === 0) return t.noChange
            const ratio = (a - b) / b
            return ratio >= 0 ? t.up(f.percent(ratio)) : t.down(f.percent(-ratio))
          }
          const tiles: [string, string, string, string | null][] = [
            [t.leads, f.integer(now?.leads), change(now?.leads, before?.leads), drill('lead')],
            [t.mqls, f.integer(now?.mqls), change(now?.mqls, before?.mqls), drill('mql')],
            [t.sqls, f.integer(now?.sqls), change(now?.sqls, before?.sqls), drill('sql')],
            [
              t.customers,
              f.integer(now?.customers),
              change(now?.customers, before?.customers),
              drill('customer'),
            ],
            [t.spend, f.money(now?.spend, now?.currency), change(now?.spend, before?.spend), null],
            [t.cpl, f.money(now?.cpl, now?.currency), change(now?.cpl, before?.cpl), null],
            [
              t.costPerSql,
              f.money(now?.costPerSql, now?.currency),
              change(now?.costPerSql, before?.costPerSql),
              null,
            ],
          ]
          return (
            <ul class="dashboard-tiles">
              {tiles.map(([label, value, delta, href]) => (
                <li class="dashboard-tile">
                  <span class="dashboard-tile-label">{label}</span>
                  <span class="dashboard-tile-value">
                    {href ? <a href={href}>{value}</a> : value}
                  </span>
                  <span class="dashboard-tile-change">{delta}</span>
                </li>
              ))}
            </ul>
          )
        }}
      </Loaded>
      <DashboardCharts
        siteKey={props.siteKey}
        from={period.from}
        to={period.to}
        attribution={period.attribution}
      />
    </PageTitle>
  )
}
