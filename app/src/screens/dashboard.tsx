import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import type { CampaignList, CampaignReport, ReportRow } from '../../../shared/campaigns'
import type { Dashboard as DashboardData } from '../../../shared/reports'
import { api, download } from '../api'
import { TableAlternative } from '../components/table-alternative'
import { defineTexts, useFormats, useTexts } from '../i18n'
import { paths } from '../paths'
import { useSession } from '../session'
import { Loaded, PageTitle, useLoad } from '../ui'
import { DashboardCharts, intervalOf } from './dashboard-charts'
import { STAGE_NAMES } from './lead-words'
import './dashboard.css'

/**
 * The dashboard (docs/app.md#dashboard): the campaign report (docs/report.md) of a period
 * against the previous period of equal length. The period and the attribution live in the URL
 * query (`?from=&to=&attribution=`), so a view is a link. Every count links to the lead list it
 * counts, with the filters the lead list understands (docs/leads.md).
 */

const TEXTS = defineTexts({
  title: { de: 'Übersicht', en: 'Dashboard' },
  period: { de: 'Zeitraum', en: 'Period' },
  last7: { de: 'Letzte 7 Tage', en: 'Last 7 days' },
  last30: { de: 'Letzte 30 Tage', en: 'Last 30 days' },
  last90: { de: 'Letzte 90 Tage', en: 'Last 90 days' },
  thisMonth: { de: 'Dieser Monat', en: 'This month' },
  lastMonth: { de: 'Letzter Monat', en: 'Last month' },
  thisQuarter: { de: 'Dieses Quartal', en: 'This quarter' },
  custom: { de: 'Eigener Zeitraum', en: 'Custom period' },
  from: { de: 'Von', en: 'From' },
  to: { de: 'Bis', en: 'To' },
  apply: { de: 'Anzeigen', en: 'Show' },
  fromAfterTo: {
    de: '„Von“ darf nicht nach „Bis“ liegen.',
    en: '“From” must not be after “To”.',
  },
  tooLong: {
    de: `Ein Zeitraum umfasst höchstens ${731} Tage (zwei Jahre).`,
    en: `A period spans at most ${731} days (two years).`,
  },
  missingDay: { de: 'Bitte beide Tage angeben.', en: 'Please give both days.' },
  attribution: { de: 'Zuordnung', en: 'Attribution' },
  first: { de: 'Erster Kontakt', en: 'First touch' },
  last: { de: 'Letzter Kontakt', en: 'Last touch' },
  showing: {
    de: (period: string, previous: string) => `${period}, verglichen mit ${previous}`,
    en: (period: string, previous: string) => `${period}, compared with ${previous}`,
  },
  downloads: { de: 'Bericht herunterladen', en: 'Download the report' },
  csv: { de: 'CSV (maschinenlesbar)', en: 'CSV (machine)' },
  readableCsv: { de: 'CSV (lesbar)', en: 'CSV (readable)' },
  figures: { de: 'Kennzahlen', en: 'Key figures' },
  moneyIn: { de: (c: string) => `Kosten in ${c}`, en: (c: string) => `Costs in ${c}` },
  noMoney: {
    de: 'Für diesen Zeitraum sind keine Ausgaben erfasst; Kosten pro Lead und Bestellung folgen, sobald Ausgaben da sind.',
    en: 'No spend is recorded for this period; costs per lead and per order follow once there is spend.',
  },
  leads: { de: 'Leads', en: 'Leads' },
  spend: { de: 'Ausgaben', en: 'Spend' },
  cpl: { de: 'Kosten pro Lead', en: 'Cost per lead' },
  costPer: {
    de: (stage: string) => `Kosten pro ${stage}`,
    en: (stage: string) => `Cost per ${stage}`,
  },
  costPerOrder: { de: 'Kosten pro Bestellung', en: 'Cost per order' },
  up: {
    de: (p: string) => `▲ ${p} zum Vorzeitraum`,
    en: (p: string) => `▲ ${p} vs previous period`,
  },
  down: {
    de: (p: string) => `▼ ${p} zum Vorzeitraum`,
    en: (p: string) => `▼ ${p} vs previous period`,
  },
  same: { de: 'wie im Vorzeitraum', en: 'same as previous period' },
  better: { de: 'besser', en: 'better' },
  worse: { de: 'schlechter', en: 'worse' },
  noComparison: { de: 'kein Vergleich möglich', en: 'no comparison' },
  funnel: { de: 'Phasen-Trichter', en: 'Stage funnel' },
  funnelSummary: {
    de: (leads: string, customers: string, rate: string) =>
      `Von ${leads} Leads wurden ${customers} Kunden (${rate}).`,
    en: (leads: string, customers: string, rate: string) =>
      `Of ${leads} leads, ${customers} became customers (${rate}).`,
  },
  stage: { de: 'Phase', en: 'Stage' },
  count: { de: 'Anzahl', en: 'Count' },
  nextStep: { de: 'Zur nächsten Phase', en: 'To the next stage' },
  cumulative: { de: 'Seit Lead (kumuliert)', en: 'Since lead (cumulative)' },
  showTable: { de: 'Als Tabelle zeigen', en: 'Show as table' },
  tableOf: { de: (what: string) => `Tabelle: ${what}`, en: (what: string) => `Table: ${what}` },
  campaigns: { de: 'Kampagnen', en: 'Campaigns' },
  campaignsBy: {
    de: (touch: string) => `Quelle, Medium und Kampagne (${touch})`,
    en: (touch: string) => `Source, medium and campaign (${touch})`,
  },
  campaign: { de: 'Kampagne', en: 'Campaign' },
  source: { de: 'Quelle', en: 'Source' },
  medium: { de: 'Medium', en: 'Medium' },
  currency: { de: 'Währung', en: 'Currency' },
  noCampaign: { de: '(ohne Kampagne)', en: '(no campaign)' },
  noRows: {
    de: 'In diesem Zeitraum kamen keine Leads, und es sind keine Ausgaben erfasst.',
    en: 'No leads came in this period, and no spend is recorded.',
  },
  total: { de: 'Summe', en: 'Total' },
  leadsOf: {
    de: (n: string, stage: string, campaign: string) => `${n} ${stage} aus ${campaign}`,
    en: (n: string, stage: string, campaign: string) => `${n} ${stage} from ${campaign}`,
  },
})

type Texts = ReturnType<typeof useTexts<typeof TEXTS>>
type Formats = ReturnType<typeof useFormats>
type Attribution = 'first' | 'last'

/** The longest period the dashboard shows: two years (its comparison reaches back as far again). */
const MAX_DAYS = 731
/** `(none)`, the report's row of leads without a campaign touch (docs/report.md). */
const NO_CAMPAIGN = '(none)'
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

const isoDay = (date: Date) => date.toISOString().slice(0, 10)
const today = () => isoDay(new Date())
const dayOffset = (base: string, offset: number) =>
  isoDay(new Date(Date.parse(`${base}T00:00:00Z`) + offset * DAY_MS))
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1
const isDay = (value: string | undefined): value is string =>
  !!value && DAY_RE.test(value) && isoDay(new Date(`${value}T00:00:00Z`)) === value

interface Period {
  from: string
  to: string
  attribution: Attribution
  previous: { from: string; to: string }
}

/** The period a URL query asks for; the last 30 days when it asks for none or a wrong one. */
function periodOf(query: Record<string, string>): Period {
  let to = isDay(query.to) ? query.to : today()
  let from = isDay(query.from) ? query.from : dayOffset(to, -29)
  if (from > to || daysBetween(from, to) > MAX_DAYS) [from, to] = [dayOffset(today(), -29), today()]
  const length = daysBetween(from, to)
  return {
    from,
    to,
    attribution: query.attribution === 'last' ? 'last' : 'first',
    previous: { from: dayOffset(from, -length), to: dayOffset(from, -1) },
  }
}

/** The presets, each a period in UTC days ending today or with the last month. */
function presets(t: Texts): [string, string, string][] {
  const now = new Date()
  const day = today()
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()]
  const first = (y: number, m: number) => isoDay(new Date(Date.UTC(y, m, 1)))
  return [
    [t.last7, dayOffset(day, -6), day],
    [t.last30, dayOffset(day, -29), day],
    [t.last90, dayOffset(day, -89), day],
    [t.thisMonth, first(year, month), day],
    [t.lastMonth, first(year, month - 1), dayOffset(first(year, month), -1)],
    [t.thisQuarter, first(year, month - (month % 3)), day],
  ]
}

/** The counts' names (plural) in each stage model, by the report's stage rank. */
const COUNT_NAMES = {
  b2b: {
    de: ['Leads', 'MQLs', 'SQLs', 'Verkaufschancen', 'Kunden'],
    en: ['Leads', 'MQLs', 'SQLs', 'Opportunities', 'Customers'],
  },
  b2c: {
    de: ['Interessenten', 'Engagiert', 'Kaufinteresse', 'Bedarf erkannt', 'Kunden'],
    en: ['Prospects', 'Engaged', 'Interested', 'Need recognised', 'Customers'],
  },
}

/**
 * The words of the funnel's stages in the site's model (docs/report.md#b2c-columns): `one` for
 * a stage ("cost per MQL"), `many` for a count ("MQLs").
 */
function stageWords(b2c: boolean, lang: 'de' | 'en'): Words {
  const names = b2c
    ? ['prospect', 'engaged', 'interested', 'need_recognized', 'customer']
    : ['lead', 'mql', 'sql', 'opportunity', 'customer']
  return {
    one: names.map((name) => STAGE_NAMES[name]![lang]),
    many: COUNT_NAMES[b2c ? 'b2c' : 'b2b'][lang],
  }
}

interface Words {
  one: string[]
  many: string[]
}

/** The lead list's filter names (docs/leads.md) for the stage ranks the report counts. */
const REACHED = ['lead', 'mql', 'sql', 'opportunity', 'customer'] as const
const COUNT_KEYS = ['leads', 'mqls', 'sqls', 'opportunities', 'customers'] as const

export function Dashboard(props: { siteKey: string; leadId?: string }) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const location = useLocation()
  const { session } = useSession()
  const period = periodOf(location.query)
  const b2c = session.sites.find((site) => site.siteKey === props.siteKey)?.stageModel === 'b2c'
  const base = `/v1/admin/sites/${encodeURIComponent(props.siteKey)}`
  const reportQuery = { from: period.from, to: period.to, attribution: period.attribution }
  const interval = intervalOf(location.query, period.from, period.to)
  // One request for every figure on the screen (docs/app.md#dashboard).
  const [data, reload] = useLoad(
    (signal) =>
      api<DashboardData>(`${base}/reports/dashboard`, {
        query: { ...reportQuery, interval },
        signal,
      }),
    [props.siteKey, period.from, period.to, period.attribution, interval],
  )
  const lang = f.locale.startsWith('de') ? 'de' : 'en'
  const words = stageWords(b2c, lang)
  const drill = (reached: (typeof REACHED)[number], campaign?: string) =>
    `${paths.leads(props.siteKey)}?${new URLSearchParams({
      createdFrom: period.from,
      createdTo: period.to,
      attribution: period.attribution,
      reached,
      ...(campaign === undefined ? {} : { campaign }),
    })}`
  return (
    <div class="dashboard">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <PeriodBar period={period} t={t} />
      <p class="dashboard-showing">
        {t.showing(
          `${f.day(period.from)} – ${f.day(period.to)}`,
          `${f.day(period.previous.from)} – ${f.day(period.previous.to)}`,
        )}
      </p>
      <div class="dashboard-downloads" role="group" aria-label={t.downloads}>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            download(
              `${base}/reports/campaigns`,
              { ...reportQuery, format: 'csv' },
              'campaigns.csv',
            )
          }
        >
          {t.csv}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            download(
              `${base}/reports/campaigns`,
              { ...reportQuery, format: 'readable-csv', lang },
              'campaigns.csv',
            )
          }
        >
          {t.readableCsv}
        </button>
      </div>
      <Loaded value={data} onRetry={reload}>
        {({ report, previous, series, salesCycle, forms, campaigns }) => (
          <>
            <Tiles current={report} previous={previous} words={words} drill={drill} t={t} f={f} />
            <Funnel total={report.totals[0]} words={words} drill={drill} t={t} f={f} />
            <CampaignTable
              report={report}
              campaigns={campaigns}
              words={words}
              drill={drill}
              t={t}
              f={f}
            />
            <DashboardCharts
              siteKey={props.siteKey}
              from={period.from}
              to={period.to}
              attribution={period.attribution}
              campaigns={campaigns}
              series={series}
              salesCycle={salesCycle}
              forms={forms}
            />
          </>
        )}
      </Loaded>
    </div>
  )
}

function PeriodBar({ period, t }: { period: Period; t: Texts }) {
  const location = useLocation()
  const [error, setError] = useState<string | null>(null)
  const link = (query: Record<string, string>) =>
    `${location.path}?${new URLSearchParams({ ...location.query, ...query })}`
  const apply = (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const [from, to] = [String(form.get('from') ?? ''), String(form.get('to') ?? '')]
    if (!isDay(from) || !isDay(to)) return setError(t.missingDay)
    if (from > to) return setError(t.fromAfterTo)
    if (daysBetween(from, to) > MAX_DAYS) return setError(t.tooLong)
    setError(null)
    location.route(link({ from, to }))
  }
  return (
    <div class="dashboard-bar">
      <nav aria-label={t.period}>
        <ul class="dashboard-presets">
          {presets(t).map(([label, from, to]) => (
            <li>
              <a
                href={link({ from, to })}
                aria-current={period.from === from && period.to === to ? 'true' : undefined}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form class="dashboard-custom" aria-label={t.custom} onSubmit={apply} noValidate>
        <label>
          <span>{t.from}</span>
          <input type="date" name="from" defaultValue={period.from} key={`from-${period.from}`} />
        </label>
        <label>
          <span>{t.to}</span>
          <input type="date" name="to" defaultValue={period.to} key={`to-${period.to}`} />
        </label>
        <button type="submit" class="secondary">
          {t.apply}
        </button>
        {error && (
          <p role="alert" class="dashboard-error">
            {error}
          </p>
        )}
      </form>
      <nav aria-label={t.attribution}>
        <ul class="dashboard-presets">
          {(['first', 'last'] as const).map((attribution) => (
            <li>
              <a
                href={link({ attribution })}
                aria-current={period.attribution === attribution ? 'true' : undefined}
              >
                {attribution === 'first' ? t.first : t.last}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  )
}

type Drill = (reached: (typeof REACHED)[number], campaign?: string) => string

/** The change against the previous period in words; `cost` says a rise is worse. */
function change(
  t: Texts,
  f: Formats,
  now: number | null | undefined,
  before: number | null | undefined,
  cost: boolean,
): { text: string; tone: 'better' | 'worse' | null } {
  if (now == null || before == null || before === 0) return { text: t.noComparison, tone: null }
  if (now === before) return { text: t.same, tone: null }
  const ratio = (now - before) / before
  const tone = ratio > 0 !== cost ? 'better' : 'worse'
  const text = ratio > 0 ? t.up(f.percent(ratio)) : t.down(f.percent(-ratio))
  return { text: `${text} (${tone === 'better' ? t.better : t.worse})`, tone }
}

function Tile(props: {
  label: string
  value: string
  href?: string
  delta: { text: string; tone: 'better' | 'worse' | null }
}) {
  return (
    <li class="dashboard-tile">
      <span class="dashboard-tile-label">{props.label}</span>
      <span class="dashboard-tile-value">
        {props.href ? <a href={props.href}>{props.value}</a> : props.value}
      </span>
      <span class={`dashboard-tile-change${props.delta.tone ? ` ${props.delta.tone}` : ''}`}>
        {props.delta.text}
      </span>
    </li>
  )
}

function Tiles(props: {
  current: CampaignReport
  previous: CampaignReport
  words: Words
  drill: Drill
  t: Texts
  f: Formats
}) {
  const { current, previous, words, drill, t, f } = props
  // Every total carries the whole cohort's counts; money comes per currency (docs/report.md).
  const now = current.totals[0]
  const before = previous.totals[0]
  const counted = [0, 1, 2, 4] as const
  const money = current.totals.filter((row) => row.currency !== null)
  return (
    <section class="dashboard-figures" aria-labelledby="dashboard-figures">
      <h2 id="dashboard-figures" class="visually-hidden">
        {t.figures}
      </h2>
      <ul class="dashboard-tiles">
        {counted.map((rank) => (
          <Tile
            label={words.many[rank]!}
            value={f.integer(now?.[COUNT_KEYS[rank]])}
            href={drill(REACHED[rank])}
            delta={change(t, f, now?.[COUNT_KEYS[rank]], before?.[COUNT_KEYS[rank]], false)}
          />
        ))}
      </ul>
      {money.length === 0 && <p class="dashboard-note">{t.noMoney}</p>}
      {money.map((row) => {
        const was = previous.totals.find((p) => p.currency === row.currency)
        const tiles: [string, keyof ReportRow & string][] = [
          [t.spend, 'spend'],
          [t.cpl, 'cpl'],
          [t.costPer(words.one[1]!), 'costPerMql'],
          [t.costPer(words.one[2]!), 'costPerSql'],
          [t.costPerOrder, 'costPerOrder'],
        ]
        return (
          <div class="dashboard-money">
            {money.length > 1 && <h3>{t.moneyIn(row.currency!)}</h3>}
            <ul class="dashboard-tiles">
              {tiles.map(([label, key]) => (
                <Tile
                  label={money.length > 1 ? `${label} (${row.currency})` : label}
                  value={f.money(row[key] as number | null, row.currency)}
                  delta={change(
                    t,
                    f,
                    row[key] as number | null,
                    was?.[key] as number | null | undefined,
                    key !== 'spend',
                  )}
                />
              ))}
            </ul>
          </div>
        )
      })}
    </section>
  )
}

function Funnel(props: {
  total: ReportRow | undefined
  words: Words
  drill: Drill
  t: Texts
  f: Formats
}) {
  const { total, words, drill, t, f } = props
  if (!total) return null
  const counts = COUNT_KEYS.map((key) => total[key])
  const next = [
    total.conversion.leadToMql,
    total.conversion.mqlToSql,
    total.conversion.sqlToOpportunity,
    total.conversion.opportunityToCustomer,
    null,
  ]
  const cumulative = counts.map((count) => (total.leads === 0 ? null : count / total.leads))
  const widest = Math.max(1, total.leads)
  // In viewBox units: a column for the stage's name, the bars centred, a column for the count.
  const [width, row, names, numbers] = [400, 40, 130, 56]
  const room = width - names - numbers
  return (
    <section class="dashboard-funnel" aria-labelledby="dashboard-funnel">
      <h2 id="dashboard-funnel">{t.funnel}</h2>
      <svg
        viewBox={`0 0 ${width} ${row * counts.length}`}
        role="img"
        aria-label={t.funnelSummary(
          f.integer(total.leads),
          f.integer(total.customers),
          f.percent(cumulative[4]),
        )}
      >
        {counts.map((count, i) => {
          const barWidth = Math.max(2, (count / widest) * room)
          return (
            <g>
              <text x="0" y={i * row + 25} class="funnel-label">
                {words.one[i]}
              </text>
              <rect
                x={names + (room - barWidth) / 2}
                y={i * row + 6}
                width={barWidth}
                height={row - 12}
                rx="3"
                class="funnel-bar"
              />
              <text x={width - 4} y={i * row + 25} text-anchor="end" class="funnel-count">
                {f.integer(count)}
              </text>
            </g>
          )
        })}
      </svg>
      <ol class="funnel-steps">
        {counts.slice(0, -1).map((_, i) => (
          <li>
            {words.one[i]} → {words.one[i + 1]}: <strong>{f.percent(next[i])}</strong>
          </li>
        ))}
      </ol>
      <TableAlternative summary={t.showTable} label={t.tableOf(t.funnel)} caption={t.funnel}>
        <thead>
          <tr>
            <th scope="col">{t.stage}</th>
            <th scope="col" class="num">
              {t.count}
            </th>
            <th scope="col" class="num">
              {t.nextStep}
            </th>
            <th scope="col" class="num">
              {t.cumulative}
            </th>
          </tr>
        </thead>
        <tbody>
          {counts.map((count, i) => (
            <tr>
              <th scope="row">{words.one[i]}</th>
              <td class="num">
                <a href={drill(REACHED[i]!)}>{f.integer(count)}</a>
              </td>
              <td class="num">{f.percent(next[i])}</td>
              <td class="num">{f.percent(cumulative[i])}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </section>
  )
}

function CampaignTable(props: {
  report: CampaignReport
  campaigns: CampaignList | null
  words: Words
  drill: Drill
  t: Texts
  f: Formats
}) {
  const { report, campaigns, words, drill, t, f } = props
  const byKey = new Map((campaigns?.campaigns ?? []).map((c) => [c.campaignKey, c]))
  const currencies = new Set(report.rows.map((row) => row.currency).filter(Boolean))
  const title = t.campaignsBy(report.attribution === 'first' ? t.first : t.last)
  const countCell = (row: ReportRow, rank: 0 | 1 | 2 | 4, name: string) => {
    const count = row[COUNT_KEYS[rank]]
    return (
      <td class="num">
        {count === 0 ? (
          f.integer(0)
        ) : (
          <a
            href={drill(REACHED[rank], row.campaign)}
            aria-label={t.leadsOf(f.integer(count), words.many[rank]!, name)}
          >
            {f.integer(count)}
          </a>
        )}
      </td>
    )
  }
  return (
    <section class="dashboard-campaigns" aria-labelledby="dashboard-campaigns">
      <h2 id="dashboard-campaigns">{title}</h2>
      {report.rows.length === 0 ? (
        <p>{t.noRows}</p>
      ) : (
        <div class="table-wrap" role="region" aria-label={t.tableOf(title)} tabIndex={0}>
          <table class="dashboard-campaign-table">
            <thead>
              <tr>
                <th scope="col">{t.campaign}</th>
                <th scope="col">{t.source}</th>
                <th scope="col">{t.medium}</th>
                {currencies.size > 1 && <th scope="col">{t.currency}</th>}
                <th scope="col" class="num">
                  {words.many[0]}
                </th>
                <th scope="col" class="num">
                  {words.many[1]}
                </th>
                <th scope="col" class="num">
                  {words.many[2]}
                </th>
                <th scope="col" class="num">
                  {words.many[4]}
                </th>
                <th scope="col" class="num">
                  {t.spend}
                </th>
                <th scope="col" class="num">
                  {t.cpl}
                </th>
                <th scope="col" class="num">
                  {t.costPer(words.one[2]!)}
                </th>
                <th scope="col" class="num">
                  {t.costPerOrder}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => {
                const stored = byKey.get(row.campaign)
                const name =
                  row.campaign === NO_CAMPAIGN ? t.noCampaign : (stored?.name ?? row.campaign)
                return (
                  <tr data-campaign={row.campaign} data-currency={row.currency ?? ''}>
                    <th scope="row">
                      {name}
                      {name !== row.campaign && row.campaign !== NO_CAMPAIGN && (
                        <span class="dashboard-key">{row.campaign}</span>
                      )}
                    </th>
                    <td>{stored?.source ?? '–'}</td>
                    <td>{stored?.medium ?? '–'}</td>
                    {currencies.size > 1 && <td>{row.currency ?? '–'}</td>}
                    {countCell(row, 0, name)}
                    {countCell(row, 1, name)}
                    {countCell(row, 2, name)}
                    {countCell(row, 4, name)}
                    <td class="num">{f.money(row.spend, row.currency)}</td>
                    <td class="num">{f.money(row.cpl, row.currency)}</td>
                    <td class="num">{f.money(row.costPerSql, row.currency)}</td>
                    <td class="num">{f.money(row.costPerOrder, row.currency)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
