import { useLocation } from 'preact-iso'
import { useState } from 'preact/hooks'
import type { LeadList, LeadSort } from '../../../shared/leads'
import { STAGES, TEMPERATURES } from '../../../shared/vocabulary'
import { api } from '../api'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { Loaded, PageTitle, useLoad } from '../ui'
import { STAGE_NAMES, TEMPERATURE_NAMES } from './lead-words'
import './leads.css'

const TEXTS = defineTexts({
  title: { de: 'Leads', en: 'Leads' },
  search: { de: 'Suche (Name, E-Mail, Firma)', en: 'Search (name, email, company)' },
  apply: { de: 'Anwenden', en: 'Apply' },
  stage: { de: 'Phase', en: 'Stage' },
  temperature: { de: 'Temperatur', en: 'Temperature' },
  reached: { de: 'Erreichte Phase', en: 'Stage reached' },
  campaign: { de: 'Kampagne', en: 'Campaign' },
  attribution: { de: 'Zuordnung', en: 'Attribution' },
  first: { de: 'Erster Kontakt', en: 'First touch' },
  last: { de: 'Letzter Kontakt', en: 'Last touch' },
  createdFrom: { de: 'Erstellt ab', en: 'Created from' },
  createdTo: { de: 'Erstellt bis', en: 'Created to' },
  any: { de: 'Alle', en: 'Any' },
  filters: { de: 'Filter', en: 'Filters' },
  noFilters: { de: 'Keine Filter', en: 'No filters' },
  clear: { de: 'Filter zurücksetzen', en: 'Clear filters' },
  total: {
    de: (n: string) => `${n} Leads gefunden`,
    en: (n: string) => `${n} leads found`,
  },
  table: { de: 'Leads', en: 'Leads' },
  name: { de: 'Name', en: 'Name' },
  email: { de: 'E-Mail', en: 'Email' },
  company: { de: 'Firma', en: 'Company' },
  score: { de: 'Punkte', en: 'Score' },
  probability: { de: 'Chance', en: 'Probability' },
  created: { de: 'Erstellt', en: 'Created' },
  sortBy: {
    de: (what: string) => `Nach ${what} sortieren`,
    en: (what: string) => `Sort by ${what}`,
  },
  previous: { de: 'Vorherige Seite', en: 'Previous page' },
  next: { de: 'Nächste Seite', en: 'Next page' },
  pages: { de: 'Seiten', en: 'Pages' },
  none: { de: 'Keine Leads passen zu diesen Filtern.', en: 'No leads match these filters.' },
  unnamed: { de: '(ohne Namen)', en: '(no name)' },
})

/** The list's query in the URL, with the API's names (docs/leads.md). */
export const FILTER_KEYS = [
  'q',
  'stage',
  'temperature',
  'reached',
  'campaign',
  'attribution',
  'createdFrom',
  'createdTo',
] as const
type FilterKey = (typeof FILTER_KEYS)[number]
const FUNNEL = STAGES.filter((stage) => stage !== 'disqualified')

/** `/app/<siteKey>/leads`: the site's leads, filtered and sorted from the URL, paged by cursor. */
export function Leads({ siteKey }: { siteKey: string }) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const location = useLocation()
  const query = location.query
  const filters: Partial<Record<FilterKey, string>> = {}
  for (const key of FILTER_KEYS) if (query[key]) filters[key] = query[key]
  const sort = (query.sort ?? '-created') as LeadSort
  // The cursors of the pages before this one; new filters or a new order start at page one.
  const key = JSON.stringify({ filters, sort })
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key, cursors: [] })
  const cursors = paging.key === key ? paging.cursors : []
  const setCursors = (next: string[]) => setPaging({ key, cursors: next })
  const cursor = cursors[cursors.length - 1]
  const [list, reload] = useLoad(
    (signal) =>
      api<LeadList>(`/v1/admin/sites/${encodeURIComponent(siteKey)}/leads`, {
        query: { ...filters, sort, limit: 25, cursor },
        signal,
      }),
    [siteKey, key, cursor],
  )

  const go = (next: Partial<Record<FilterKey | 'sort', string>>) => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(next)) if (value) params.set(name, value)
    const text = params.toString()
    location.route(text ? `${paths.leads(siteKey)}?${text}` : paths.leads(siteKey))
  }

  const onSubmit = (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const next: Partial<Record<FilterKey | 'sort', string>> = { sort: query.sort }
    for (const name of FILTER_KEYS) next[name] = String(data.get(name) ?? '').trim()
    go(next)
  }

  const sortHeader = (label: string, column: 'created' | 'score' | 'probability') => {
    const state = sort === column ? 'ascending' : sort === `-${column}` ? 'descending' : undefined
    const nextSort = sort === `-${column}` ? column : `-${column}`
    return (
      <th scope="col" aria-sort={state ?? 'none'} class={column === 'created' ? undefined : 'num'}>
        <button
          type="button"
          class="sort"
          title={t.sortBy(label)}
          onClick={() => go({ ...filters, sort: nextSort })}
        >
          {label}
          <span aria-hidden="true">
            {state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ' ↕'}
          </span>
        </button>
      </th>
    )
  }

  const applied = Object.entries(filters)
  const lang = useLang()
  const nameOf = (key: FilterKey, value: string) =>
    key === 'stage' || key === 'reached'
      ? (STAGE_NAMES[value]?.[lang] ?? value)
      : key === 'temperature'
        ? (TEMPERATURE_NAMES[value]?.[lang] ?? value)
        : key === 'attribution'
          ? value === 'last'
            ? t.last
            : t.first
          : value

  return (
    <div class="leads">
      <PageTitle title={t.title}>{t.title}</PageTitle>
      <form class="toolbar" role="search" onSubmit={onSubmit} key={key}>
        <label class="grow">
          <span>{t.search}</span>
          <input type="search" name="q" maxLength={200} defaultValue={filters.q ?? ''} />
        </label>
        <label>
          <span>{t.stage}</span>
          <select name="stage" defaultValue={filters.stage ?? ''}>
            <option value="">{t.any}</option>
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {STAGE_NAMES[stage]![lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.reached}</span>
          <select name="reached" defaultValue={filters.reached ?? ''}>
            <option value="">{t.any}</option>
            {FUNNEL.map((stage) => (
              <option key={stage} value={stage}>
                {STAGE_NAMES[stage]![lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.temperature}</span>
          <select name="temperature" defaultValue={filters.temperature ?? ''}>
            <option value="">{t.any}</option>
            {TEMPERATURES.map((value) => (
              <option key={value} value={value}>
                {TEMPERATURE_NAMES[value]![lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.campaign}</span>
          <input name="campaign" maxLength={200} defaultValue={filters.campaign ?? ''} />
        </label>
        <label>
          <span>{t.attribution}</span>
          <select name="attribution" defaultValue={filters.attribution ?? ''}>
            <option value="">{t.first}</option>
            <option value="last">{t.last}</option>
          </select>
        </label>
        <label>
          <span>{t.createdFrom}</span>
          <input type="date" name="createdFrom" defaultValue={filters.createdFrom ?? ''} />
        </label>
        <label>
          <span>{t.createdTo}</span>
          <input type="date" name="createdTo" defaultValue={filters.createdTo ?? ''} />
        </label>
        <button type="submit">{t.apply}</button>
      </form>

      <p class="applied" aria-live="polite">
        <span>
          {t.filters}:{' '}
          {applied.length
            ? applied
                .map(
                  ([name, value]) =>
                    `${name === 'q' ? t.search : t[name as Exclude<FilterKey, 'q'>]}: ${nameOf(name as FilterKey, value)}`,
                )
                .join(' · ')
            : t.noFilters}
        </span>
        {list.state === 'done' && <strong> — {t.total(f.integer(list.value.total))}</strong>}
        {applied.length > 0 && (
          <>
            {' '}
            <a href={paths.leads(siteKey)}>{t.clear}</a>
          </>
        )}
      </p>

      <Loaded value={list} onRetry={reload}>
        {(page) =>
          page.leads.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <>
              <div class="table-wrap" role="region" aria-label={t.table} tabIndex={0}>
                <table class="lead-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.name}</th>
                      <th scope="col">{t.company}</th>
                      <th scope="col">{t.stage}</th>
                      <th scope="col">{t.temperature}</th>
                      {sortHeader(t.score, 'score')}
                      {sortHeader(t.probability, 'probability')}
                      {sortHeader(t.created, 'created')}
                    </tr>
                  </thead>
                  <tbody>
                    {page.leads.map((lead) => {
                      const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ')
                      return (
                        <tr key={lead.leadId}>
                          <th scope="row">
                            <a href={paths.lead(siteKey, lead.leadId)}>{name || t.unnamed}</a>
                            <div class="hint">{lead.email}</div>
                          </th>
                          <td>{lead.company ?? '–'}</td>
                          <td>{STAGE_NAMES[lead.stage]?.[lang] ?? lead.stage}</td>
                          <td>{TEMPERATURE_NAMES[lead.temperature]?.[lang] ?? lead.temperature}</td>
                          <td class="num">{f.decimal(lead.score)}</td>
                          <td class="num">
                            {f.percent(lead.conversionProbability)}
                            {lead.conversionFactors[0] && (
                              <div class="hint">{lead.conversionFactors[0]}</div>
                            )}
                          </td>
                          <td>{f.dateTime(lead.createdAt)}</td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </div>
              <nav class="pager" aria-label={t.pages}>
                <button
                  type="button"
                  class="secondary"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  {t.previous}
                </button>
                <button
                  type="button"
                  class="secondary"
                  disabled={!page.nextCursor}
                  onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
                >
                  {t.next}
                </button>
              </nav>
            </>
          )
        }
      </Loaded>
    </div>
  )
}
