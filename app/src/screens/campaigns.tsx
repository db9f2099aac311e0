import { useState } from 'preact/hooks'
import type { CampaignList, CampaignListItem, SpendList } from '../../../shared/campaigns'
import {
  matchCampaigns,
  minorDigits,
  planImport,
  readSpendCsv,
  toCampaignKey,
  toMinorUnits,
  type RowProblem,
  type SpendCsv,
} from '../../../shared/spend-csv'
import { api } from '../api'
import { defineTexts, useFormats, useTexts } from '../i18n'
import { useCan } from '../session'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import './campaigns.css'

/**
 * Campaigns and their spend (docs/spend-import.md): the list with the period's spend, a form to
 * name a campaign, daily spend by hand, and the import of an ad platform's CSV export with a
 * preview before anything is written.
 */
const TEXTS = defineTexts({
  title: { de: 'Kampagnen', en: 'Campaigns' },
  from: { de: 'Von', en: 'From' },
  to: { de: 'Bis', en: 'To' },
  key: { de: 'Schlüssel (utm_campaign)', en: 'Key (utm_campaign)' },
  name: { de: 'Name', en: 'Name' },
  channel: { de: 'Kanal', en: 'Channel' },
  source: { de: 'Quelle', en: 'Source' },
  medium: { de: 'Medium', en: 'Medium' },
  spend: { de: 'Ausgaben im Zeitraum', en: 'Spend in the period' },
  actions: { de: 'Aktionen', en: 'Actions' },
  none: { de: 'Noch keine Kampagnen.', en: 'No campaigns yet.' },
  notNamed: { de: 'nicht benannt', en: 'not named' },
  edit: { de: 'Bearbeiten', en: 'Edit' },
  days: { de: 'Tagesausgaben', en: 'Daily spend' },
  create: { de: 'Kampagne anlegen', en: 'Create a campaign' },
  editing: {
    de: (key: string) => `Kampagne ${key} bearbeiten`,
    en: (key: string) => `Edit campaign ${key}`,
  },
  save: { de: 'Speichern', en: 'Save' },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
  keyNeeded: { de: 'Bitte einen Schlüssel angeben.', en: 'Please enter a key.' },
  spendOf: {
    de: (key: string) => `Tagesausgaben von ${key}`,
    en: (key: string) => `Daily spend of ${key}`,
  },
  day: { de: 'Tag', en: 'Day' },
  amount: { de: 'Betrag', en: 'Amount' },
  currency: { de: 'Währung', en: 'Currency' },
  updated: { de: 'Geändert', en: 'Updated' },
  addDay: {
    de: 'Tag speichern (ersetzt einen vorhandenen)',
    en: 'Save day (replaces an existing one)',
  },
  badAmount: {
    de: 'Bitte einen Betrag wie 12,50 angeben.',
    en: 'Please enter an amount like 12.50.',
  },
  noDays: { de: 'Keine Ausgaben im Zeitraum.', en: 'No spend in the period.' },
  import: { de: 'Ausgaben aus CSV importieren', en: 'Import spend from CSV' },
  importHelp: {
    de: 'Export aus Google Ads, LinkedIn Campaign Manager oder Meta Ads Manager, nach Tag aufgeschlüsselt.',
    en: 'An export of Google Ads, LinkedIn Campaign Manager or Meta Ads Manager, broken down by day.',
  },
  file: { de: 'CSV-Datei', en: 'CSV file' },
  fallback: { de: 'Währung, wenn die Datei keine nennt', en: 'Currency if the file names none' },
  noHeader: {
    de: (missing: string) => `Keine Kopfzeile gefunden; es fehlt: ${missing}.`,
    en: (missing: string) => `No header found; missing: ${missing}.`,
  },
  preview: { de: 'Vorschau', en: 'Preview' },
  csvName: { de: 'Kampagne in der Datei', en: 'Campaign in the file' },
  mapTo: {
    de: (name: string) => `Kampagne für „${name}“`,
    en: (name: string) => `Campaign for “${name}”`,
  },
  newKey: { de: (key: string) => `neu anlegen: ${key}`, en: (key: string) => `create: ${key}` },
  skip: { de: 'nicht importieren', en: 'do not import' },
  status: { de: 'Stand', en: 'Status' },
  isNew: { de: 'neu', en: 'new' },
  changed: { de: 'geändert', en: 'changed' },
  same: { de: 'unverändert', en: 'unchanged' },
  unread: { de: 'Nicht gelesene Zeilen', en: 'Rows not read' },
  conflicts: {
    de: (days: string) => `Nicht importiert, weil zwei Währungen zusammenkommen: ${days}`,
    en: (days: string) => `Not imported, as two currencies meet: ${days}`,
  },
  line: { de: 'Zeile', en: 'Line' },
  reason: { de: 'Grund', en: 'Reason' },
  confirm: { de: 'Importieren', en: 'Import' },
  summary: {
    de: (days: number, changed: number) =>
      `${days} Tage geschrieben, davon ${changed} neu oder geändert.`,
    en: (days: number, changed: number) =>
      `${days} days written, ${changed} of them new or changed.`,
  },
})

const REASONS = defineTexts({
  no_campaign: { de: 'keine Kampagne', en: 'no campaign' },
  no_date: { de: 'kein Datum', en: 'no date' },
  bad_date: { de: 'kein gültiges Datum', en: 'not a valid date' },
  date_range: { de: 'umfasst mehrere Tage', en: 'covers several days' },
  no_amount: { de: 'kein Betrag', en: 'no amount' },
  bad_amount: { de: 'kein lesbarer Betrag', en: 'not a readable amount' },
  negative_amount: { de: 'negativer Betrag', en: 'negative amount' },
  too_large: { de: 'Betrag zu groß', en: 'amount too large' },
  bad_currency: { de: 'unbekannte Währung', en: 'unknown currency' },
  no_currency: { de: 'keine Währung', en: 'no currency' },
  currency_conflict: { de: 'zwei Währungen am selben Tag', en: 'two currencies on one day' },
})

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF']

const today = () => new Date().toISOString().slice(0, 10)
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

export function Campaigns({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const can = useCan(siteKey)
  const writer = can('campaigns:write')
  const [from, setFrom] = useState(daysAgo(29))
  const [to, setTo] = useState(today())
  const [editing, setEditing] = useState<CampaignListItem | 'new' | null>(null)
  const [spendOf, setSpendOf] = useState<string | null>(null)
  // Counts the imports done here, so an open campaign's daily spend shows the days they wrote.
  const [imports, setImports] = useState(0)
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}/campaigns`
  const [list, reload] = useLoad(
    (signal) => api<CampaignList>(base, { query: { from, to }, signal }),
    [siteKey, from, to],
  )

  return (
    <>
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <div class="campaign-period">
        <label>
          {t.from}
          <input
            type="date"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label>
          {t.to}
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
        {writer && (
          <button type="button" onClick={() => setEditing('new')}>
            {t.create}
          </button>
        )}
      </div>
      {editing && (
        <CampaignForm
          base={base}
          campaign={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null)
            reload()
          }}
        />
      )}
      <Loaded value={list} onRetry={reload}>
        {({ campaigns }) =>
          campaigns.length ? (
            <div class="table-wrap" role="region" aria-label={t.title} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.key}</th>
                    <th scope="col">{t.name}</th>
                    <th scope="col">{t.channel}</th>
                    <th scope="col">{`${t.source} / ${t.medium}`}</th>
                    <th scope="col">{t.spend}</th>
                    <th scope="col">{t.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {campaigns.map((c) => (
                    <tr key={c.campaignKey}>
                      <th scope="row">{c.campaignKey}</th>
                      <td>{c.name ?? <em>{t.notNamed}</em>}</td>
                      <td>{c.channel ?? '–'}</td>
                      <td>{`${c.source ?? '–'} / ${c.medium ?? '–'}`}</td>
                      <td>
                        {c.spend.length
                          ? c.spend.map((s) => f.money(s.amount, s.currency)).join(', ')
                          : '–'}
                      </td>
                      <td class="campaign-actions">
                        {writer && (
                          <button type="button" class="secondary" onClick={() => setEditing(c)}>
                            {t.edit}
                            <span class="visually-hidden"> {c.campaignKey}</span>
                          </button>
                        )}
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => setSpendOf(c.campaignKey)}
                        >
                          {t.days}
                          <span class="visually-hidden"> {c.campaignKey}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t.none}</p>
          )
        }
      </Loaded>
      {spendOf && (
        <DailySpend
          key={spendOf}
          base={base}
          campaignKey={spendOf}
          from={from}
          to={to}
          writer={writer}
          imports={imports}
          onChange={reload}
        />
      )}
      {writer && list.state === 'done' && (
        <SpendImport
          base={base}
          campaigns={list.value.campaigns}
          onDone={() => {
            setImports((n) => n + 1)
            reload()
          }}
        />
      )}
    </>
  )
}

function CampaignForm({
  base,
  campaign,
  onDone,
}: {
  base: string
  campaign: CampaignListItem | null
  onDone: () => void
}) {
  const t = useTexts(TEXTS)
  const [error, setError] = useState<unknown>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const key = campaign?.campaignKey ?? String(data.get('key') ?? '').trim()
    if (!key) return setProblem(t.keyNeeded)
    const body: Record<string, string> = {}
    for (const field of ['name', 'channel', 'source', 'medium']) {
      const value = String(data.get(field) ?? '').trim()
      if (value) body[field] = value
    }
    try {
      await api(`${base}/${encodeURIComponent(key)}`, { method: 'PUT', body })
      onDone()
    } catch (caught) {
      setError(caught)
    }
  }
  const heading = campaign ? t.editing(campaign.campaignKey) : t.create
  return (
    <form class="campaign-form" aria-label={heading} onSubmit={(e) => void submit(e)}>
      <h2>{heading}</h2>
      {!campaign && (
        <label>
          {t.key}
          <input name="key" required maxLength={200} aria-invalid={problem ? true : undefined} />
        </label>
      )}
      {problem && <p role="alert">{problem}</p>}
      <label>
        {t.name}
        <input name="name" maxLength={200} defaultValue={campaign?.name ?? ''} />
      </label>
      <label>
        {t.channel}
        <input name="channel" maxLength={100} defaultValue={campaign?.channel ?? ''} />
      </label>
      <label>
        {t.source}
        <input name="source" maxLength={200} defaultValue={campaign?.source ?? ''} />
      </label>
      <label>
        {t.medium}
        <input name="medium" maxLength={200} defaultValue={campaign?.medium ?? ''} />
      </label>
      {error !== null && <ErrorNote error={error} />}
      <div class="campaign-buttons">
        <button type="submit">{t.save}</button>
        <button type="button" class="secondary" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  )
}

/** Reads an amount in major units as typed, with a comma or a point. */
function typedMinor(text: string, currency: string): number | null {
  const clean = text.trim().replace(/\s/g, '')
  const mark = clean.includes(',') && !clean.includes('.') ? ',' : '.'
  return toMinorUnits(clean, mark, minorDigits(currency))
}

function DailySpend(props: {
  base: string
  campaignKey: string
  from: string
  to: string
  writer: boolean
  imports: number
  onChange: () => void
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const path = `${props.base}/${encodeURIComponent(props.campaignKey)}/spend`
  const [days, reload] = useLoad(
    (signal) => api<SpendList>(path, { query: { from: props.from, to: props.to }, signal }),
    [path, props.from, props.to, props.imports],
  )
  const [error, setError] = useState<unknown>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const currency = String(data.get('currency'))
    const amount = typedMinor(String(data.get('amount') ?? ''), currency)
    if (amount === null) return setProblem(t.badAmount)
    setProblem(null)
    try {
      await api(path, {
        method: 'PUT',
        body: { entries: [{ date: String(data.get('date')), amount, currency }] },
      })
      setError(null)
      reload()
      props.onChange()
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <section class="campaign-days" aria-labelledby="campaign-days-title">
      <h2 id="campaign-days-title">{t.spendOf(props.campaignKey)}</h2>
      {props.writer && (
        <form class="campaign-day-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t.day}
            <input type="date" name="date" required defaultValue={today()} />
          </label>
          <label>
            {t.amount}
            <input
              name="amount"
              required
              inputMode="decimal"
              aria-invalid={problem ? true : undefined}
            />
          </label>
          <label>
            {t.currency}
            <select name="currency">
              {CURRENCIES.map((code) => (
                <option key={code}>{code}</option>
              ))}
            </select>
          </label>
          <button type="submit">{t.addDay}</button>
          {problem && <p role="alert">{problem}</p>}
        </form>
      )}
      {error !== null && <ErrorNote error={error} />}
      <Loaded value={days} onRetry={reload}>
        {({ entries }) =>
          entries.length ? (
            <div
              class="table-wrap"
              role="region"
              aria-label={t.spendOf(props.campaignKey)}
              tabIndex={0}
            >
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.day}</th>
                    <th scope="col">{t.amount}</th>
                    <th scope="col">{t.updated}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <tr key={entry.date}>
                      <th scope="row">{f.day(entry.date)}</th>
                      <td>{f.money(entry.amount, entry.currency)}</td>
                      <td>{f.dateTime(entry.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t.noDays}</p>
          )
        }
      </Loaded>
    </section>
  )
}

type Row = { key: string; date: string; amount: number; currency: string; was: number | null }

function SpendImport(props: { base: string; campaigns: CampaignListItem[]; onDone: () => void }) {
  const t = useTexts(TEXTS)
  const reasons = useTexts(REASONS)
  const f = useFormats()
  const [currency, setCurrency] = useState('EUR')
  const [read, setRead] = useState<SpendCsv | null>(null)
  const [mapping, setMapping] = useState<Map<string, string | null>>(new Map())
  const [rows, setRows] = useState<Row[] | null>(null)
  const [conflicts, setConflicts] = useState<string[]>([])
  const [error, setError] = useState<unknown>(null)
  const [summary, setSummary] = useState<string | null>(null)

  const preview = async (parsed: SpendCsv, keys: Map<string, string | null>) => {
    if (!parsed.ok) return setRows(null)
    const plan = planImport(parsed.campaigns, (name) => keys.get(name) ?? null)
    const { byKey } = plan
    setConflicts(plan.conflicts.map(({ key, date }) => `${key} ${date}`))
    const next: Row[] = []
    for (const [key, entries] of byKey) {
      if (!entries.length) continue
      const stored = await api<SpendList>(`${props.base}/${encodeURIComponent(key)}/spend`, {
        query: { from: entries[0]!.date, to: entries[entries.length - 1]!.date },
      }).catch(() => null)
      const was = new Map(stored?.entries.map((e) => [e.date, e]) ?? [])
      for (const entry of entries) {
        const old = was.get(entry.date)
        next.push({
          key,
          ...entry,
          was: old && old.currency === entry.currency ? old.amount : old ? -1 : null,
        })
      }
    }
    setRows(next)
  }

  const choose = async (file: File) => {
    setSummary(null)
    setError(null)
    const [{ default: Papa }, text] = await Promise.all([import('papaparse'), file.text()])
    const parsed = readSpendCsv(Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' }).data, {
      currency,
    })
    setRead(parsed)
    if (!parsed.ok) return setRows(null)
    const matched = matchCampaigns(
      parsed.campaigns.map((c) => c.name),
      props.campaigns,
    )
    const keys = new Map(
      [...matched].map(([name, key]) => [name, key ?? toCampaignKey(name)] as const),
    )
    setMapping(keys)
    await preview(parsed, keys)
  }

  const confirm = async () => {
    if (!rows) return
    const byKey = new Map<string, Row[]>()
    for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row])
    let written = 0
    try {
      for (const [key, entries] of byKey) {
        for (let i = 0; i < entries.length; i += 1000) {
          const answer = await api<{ written: number }>(
            `${props.base}/${encodeURIComponent(key)}/spend`,
            {
              method: 'PUT',
              body: {
                entries: entries
                  .slice(i, i + 1000)
                  .map(({ date, amount, currency: code }) => ({ date, amount, currency: code })),
              },
            },
          )
          written += answer.written
        }
      }
      setSummary(t.summary(written, rows.filter((row) => row.was !== row.amount).length))
      setRows(null)
      setRead(null)
      props.onDone()
    } catch (caught) {
      setError(caught)
    }
  }

  const known = props.campaigns.map((c) => c.campaignKey)
  return (
    <section class="campaign-import" aria-labelledby="campaign-import-title">
      <h2 id="campaign-import-title">{t.import}</h2>
      <p>{t.importHelp}</p>
      <div class="campaign-import-inputs">
        <label>
          {t.fallback}
          <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
            {CURRENCIES.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </select>
        </label>
        <label>
          {t.file}
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0]
              if (file) void choose(file)
            }}
          />
        </label>
      </div>
      {summary && (
        <p role="status" class="campaign-summary">
          {summary}
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
      {read && !read.ok && <p role="alert">{t.noHeader(read.missing.join(', '))}</p>}
      {read?.ok && (
        <>
          <h3>{t.preview}</h3>
          <div class="campaign-mapping">
            {read.campaigns.map((c) => {
              const key = mapping.get(c.name) ?? ''
              const created = toCampaignKey(c.name)
              return (
                <label key={c.name}>
                  {t.mapTo(c.name)}
                  <select
                    value={key}
                    onChange={(e) => {
                      const next = new Map(mapping)
                      next.set(c.name, e.currentTarget.value || null)
                      setMapping(next)
                      void preview(read, next)
                    }}
                  >
                    {!known.includes(created) && (
                      <option value={created}>{t.newKey(created)}</option>
                    )}
                    {known.map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                    <option value="">{t.skip}</option>
                  </select>
                </label>
              )
            })}
          </div>
          {rows && rows.length > 0 && (
            <div class="table-wrap" role="region" aria-label={t.preview} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.key}</th>
                    <th scope="col">{t.day}</th>
                    <th scope="col">{t.amount}</th>
                    <th scope="col">{t.status}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={`${row.key} ${row.date}`}>
                      <th scope="row">{row.key}</th>
                      <td>{f.day(row.date)}</td>
                      <td>{f.money(row.amount, row.currency)}</td>
                      <td>
                        {row.was === null ? t.isNew : row.was === row.amount ? t.same : t.changed}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {read.problems.length > 0 && <Problems problems={read.problems} reasons={reasons} />}
          {rows && rows.length > 0 && (
            <button type="button" onClick={() => void confirm()}>
              {t.confirm}
            </button>
          )}
        </>
      )}
    </section>
  )
}

function Problems({
  problems,
  reasons,
}: {
  problems: RowProblem[]
  reasons: Record<RowProblem['reason'], string>
}) {
  const t = useTexts(TEXTS)
  return (
    <div class="table-wrap" role="region" aria-label={t.unread} tabIndex={0}>
      <table>
        <caption>{t.unread}</caption>
        <thead>
          <tr>
            <th scope="col">{t.line}</th>
            <th scope="col">{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={`${p.line} ${p.reason}`}>
              <th scope="row">{p.line}</th>
              <td>{`${reasons[p.reason]}${p.value ? `: ${p.value}` : ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
