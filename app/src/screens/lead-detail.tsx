import { Fragment } from 'preact'
import { useLocation } from 'preact-iso'
import { useEffect, useState } from 'preact/hooks'
import type { ConsentLinks } from '../../../shared/privacy'
import type { JourneyPage, LeadDetail as Lead, StageChangeResult } from '../../../shared/leads'
import { B2B_STAGES, B2C_RULE_STAGES, B2C_STAGES } from '../../../shared/vocabulary'
import { api, ApiError, download } from '../api'
import { Dialog } from '../components/dialog'
import { defineTexts, useFormats, useLang, useTexts } from '../i18n'
import { paths } from '../paths'
import { useCan } from '../session'
import { ErrorNote, Loaded, PageTitle, useLoad } from '../ui'
import { STAGE_NAMES, TEMPERATURE_NAMES } from './lead-words'
import './leads.css'

const TEXTS = defineTexts({
  back: { de: 'Zurück zur Liste', en: 'Back to the list' },
  unnamed: { de: 'Lead ohne Namen', en: 'Lead without a name' },
  fields: { de: 'Angaben', en: 'Details' },
  completeness: { de: 'Vollständigkeit', en: 'Completeness' },
  complete: { de: 'Vollständig', en: 'Complete' },
  missing: {
    de: (names: string) => `Es fehlt: ${names}`,
    en: (names: string) => `Missing: ${names}`,
  },
  score: { de: 'Punkte', en: 'Score' },
  scoreLine: {
    de: (total: string, fit: string, engagement: string) =>
      `${total} (Passung ${fit}, Engagement ${engagement})`,
    en: (total: string, fit: string, engagement: string) =>
      `${total} (fit ${fit}, engagement ${engagement})`,
  },
  reasons: { de: 'Gründe', en: 'Reasons' },
  probability: { de: 'Abschlusschance', en: 'Conversion probability' },
  noProbability: {
    de: 'Kein gelerntes Modell: die Punkte ordnen die Leads.',
    en: 'No learned model: the score ranks leads.',
  },
  factors: { de: 'Faktoren der Abschlusschance', en: 'Factors of the conversion probability' },
  stage: { de: 'Phase', en: 'Stage' },
  temperature: { de: 'Temperatur', en: 'Temperature' },
  history: { de: 'Phasenverlauf', en: 'Stage history' },
  when: { de: 'Wann', en: 'When' },
  change: { de: 'Wechsel', en: 'Change' },
  who: { de: 'Wer', en: 'Who' },
  why: { de: 'Grund', en: 'Reason' },
  value: { de: 'Auftragswert', en: 'Deal value' },
  rule: { de: (id: string) => `Regel ${id}`, en: (id: string) => `rule ${id}` },
  person: { de: (id: string) => `Person (${id})`, en: (id: string) => `person (${id})` },
  journey: { de: 'Verlauf', en: 'Journey' },
  noJourney: { de: 'Keine Kontakte aufgezeichnet.', en: 'No touchpoints recorded.' },
  newestFirst: { de: 'Neueste zuerst.', en: 'Newest first.' },
  older: { de: 'Ältere anzeigen', en: 'Show older' },
  form: { de: (id: string) => `Formular ${id}`, en: (id: string) => `form ${id}` },
  engaged: {
    de: (seconds: number) => `aktiv ${seconds} s`,
    en: (seconds: number) => `engaged ${seconds} s`,
  },
  consents: { de: 'Einwilligungen', en: 'Consents' },
  noConsents: { de: 'Keine Einwilligungen.', en: 'No consents.' },
  purpose: { de: 'Zweck', en: 'Purpose' },
  status: { de: 'Status', en: 'Status' },
  method: { de: 'Weg', en: 'Method' },
  receipt: { de: 'Link zum Nachweis erstellen', en: 'Create receipt link' },
  receiptLink: { de: 'Nachweis der Einwilligungen', en: 'Consent receipt' },
  withdrawLink: { de: 'Widerrufs-Link', en: 'Withdrawal link' },
  submissions: { de: 'Formulareinsendungen', en: 'Submissions' },
  actions: { de: 'Aktionen', en: 'Actions' },
  move: { de: 'Phase ändern', en: 'Move stage' },
  export: { de: 'Daten exportieren (JSON)', en: 'Export data (JSON)' },
  erase: { de: 'Lead löschen', en: 'Erase lead' },
  newStage: { de: 'Neue Phase', en: 'New stage' },
  reason: { de: 'Grund', en: 'Reason' },
  reasonNeeded: {
    de: 'Zurück in eine frühere Phase: bitte einen Grund angeben.',
    en: 'Moving back to an earlier stage: please give a reason.',
  },
  amount: { de: 'Auftragswert', en: 'Deal value' },
  currency: { de: 'Währung (z. B. EUR)', en: 'Currency (e.g. EUR)' },
  save: { de: 'Speichern', en: 'Save' },
  cancel: { de: 'Abbrechen', en: 'Cancel' },
  eraseTitle: { de: 'Lead endgültig löschen?', en: 'Erase this lead for good?' },
  eraseBody: {
    de: 'Gelöscht werden alle personenbezogenen Daten dieses Leads: E-Mail, Namen, Firma, Telefon und alle Formularangaben, Seitenadressen und Browser-Angaben des Verlaufs und der Einwilligungen sowie Gründe im Phasenverlauf. Übrig bleibt ein anonymer Eintrag (Phase, Kampagnen, Zeiten, Auftragswert), damit Berichte gleich bleiben. Das lässt sich nicht rückgängig machen.',
    en: 'This erases every personal datum of this lead: email, names, company, phone and every form answer, the page addresses and browser details of its journey and consents, and the reasons in its stage history. An anonymous record remains (stage, campaigns, times, deal value) so reports stay the same. This cannot be undone.',
  },
  eraseConfirm: { de: 'Endgültig löschen', en: 'Erase for good' },
  moved: { de: 'Die Phase wurde geändert.', en: 'The stage was changed.' },
})

/** The lead's model: a b2c-only stage in its history or now makes it b2c (its first stage always tells). */
function stagesOf(lead: Lead): readonly string[] {
  const seen = [lead.stage, ...lead.stageHistory.map((entry) => entry.to)]
  return seen.some((stage) => (B2C_RULE_STAGES as readonly string[]).includes(stage))
    ? B2C_STAGES
    : B2B_STAGES
}

/** `/app/<siteKey>/leads/<leadId>`: one lead with its journey, consents and the actions a role allows. */
export function LeadDetail({ siteKey, leadId }: { siteKey: string; leadId: string }) {
  const base = `/v1/admin/sites/${encodeURIComponent(siteKey)}/leads/${encodeURIComponent(leadId)}`
  const [lead, reload] = useLoad((signal) => api<Lead>(base, { signal }), [base])
  return (
    <div class="lead-detail">
      <p>
        <a href={paths.leads(siteKey)}>← {useTexts(TEXTS).back}</a>
      </p>
      <Loaded value={lead} onRetry={reload}>
        {(value) => <LeadView siteKey={siteKey} base={base} lead={value} reload={reload} />}
      </Loaded>
    </div>
  )
}

function LeadView({
  siteKey,
  base,
  lead,
  reload,
}: {
  siteKey: string
  base: string
  lead: Lead
  reload: () => void
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const lang = useLang()
  const can = useCan(siteKey)
  const location = useLocation()
  const [dialog, setDialog] = useState<'move' | 'erase' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [links, setLinks] = useState<ConsentLinks | null>(null)
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ') || t.unnamed
  const stageName = (stage: string | null) => (stage ? (STAGE_NAMES[stage]?.[lang] ?? stage) : '–')

  const erase = async () => {
    try {
      await api(base, { method: 'DELETE' })
      setDialog(null)
      location.route(paths.leads(siteKey))
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <>
      <PageTitle title={name}>{name}</PageTitle>
      <p class="hint">{lead.email}</p>
      <div class="actions" role="group" aria-label={t.actions}>
        {can('leads:write') && (
          <button type="button" onClick={() => setDialog('move')}>
            {t.move}
          </button>
        )}
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void download(`${base}/export`, undefined, `lead-${lead.leadId}.json`).catch(setError)
          }
        >
          {t.export}
        </button>
        {can('leads:write') && (
          <button type="button" class="danger" onClick={() => setDialog('erase')}>
            {t.erase}
          </button>
        )}
      </div>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}

      <dl class="facts">
        <dt>{t.stage}</dt>
        <dd>{stageName(lead.stage)}</dd>
        <dt>{t.temperature}</dt>
        <dd>{TEMPERATURE_NAMES[lead.temperature]?.[lang] ?? lead.temperature}</dd>
        <dt>{t.score}</dt>
        <dd>
          {t.scoreLine(
            f.decimal(lead.score.total),
            f.decimal(lead.score.fit),
            f.decimal(lead.score.engagement),
          )}
        </dd>
        <dt>{t.probability}</dt>
        <dd>
          {lead.conversionProbability === null
            ? t.noProbability
            : f.percent(lead.conversionProbability)}
        </dd>
        <dt>{t.completeness}</dt>
        <dd>{lead.complete ? t.complete : t.missing(lead.missing.join(', '))}</dd>
      </dl>

      {lead.conversionFactors.length > 0 && (
        <>
          <h2>{t.factors}</h2>
          <ul>
            {lead.conversionFactors.map((factor, i) => (
              <li key={i}>{factor}</li>
            ))}
          </ul>
        </>
      )}

      <h2>{t.reasons}</h2>
      <ul>
        {lead.score.reasons.map((reason, i) => (
          <li key={i}>{reason}</li>
        ))}
      </ul>

      <h2>{t.fields}</h2>
      <dl class="facts">
        {Object.entries(lead.fields).map(([field, value]) => (
          <Fragment key={field}>
            <dt>{field}</dt>
            <dd>{String(value)}</dd>
          </Fragment>
        ))}
      </dl>

      <h2>{t.history}</h2>
      <div class="table-wrap" role="region" aria-label={t.history} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.change}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.why}</th>
              <th scope="col">{t.value}</th>
            </tr>
          </thead>
          <tbody>
            {lead.stageHistory.map((entry, i) => (
              <tr key={i}>
                <td>{f.dateTime(entry.at)}</td>
                <td>
                  {stageName(entry.from)} → {stageName(entry.to)}
                </td>
                <td>
                  {entry.cause === 'rule'
                    ? t.rule(entry.ruleId ?? '')
                    : t.person(entry.tokenId ?? '')}
                </td>
                <td>{entry.reason ?? '–'}</td>
                <td>{entry.value ? f.money(entry.value.amount, entry.value.currency) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t.journey}</h2>
      <Journey base={base} lead={lead} onError={setError} />

      <h2>{t.consents}</h2>
      {lead.consents.length === 0 ? (
        <p>{t.noConsents}</p>
      ) : (
        <div class="table-wrap" role="region" aria-label={t.consents} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.when}</th>
                <th scope="col">{t.purpose}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.method}</th>
              </tr>
            </thead>
            <tbody>
              {lead.consents.map((entry) => (
                <tr key={entry.id}>
                  <td>{f.dateTime(entry.createdAt)}</td>
                  <td>{entry.purpose}</td>
                  <td>{entry.status}</td>
                  <td>{entry.method}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('leads:write') && lead.consents.length > 0 && !links && (
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void api<ConsentLinks>(`${base}/consent-link`, { method: 'POST' }).then(
              setLinks,
              setError,
            )
          }
        >
          {t.receipt}
        </button>
      )}
      {links && (
        <ul>
          <li>
            <a href={links.receiptUrl}>{t.receiptLink}</a>
          </li>
          <li>
            <a href={links.withdrawUrl}>{t.withdrawLink}</a>
          </li>
        </ul>
      )}

      <h2>{t.submissions}</h2>
      <ul>
        {lead.submissions.map((submission) => (
          <li key={submission.submissionId}>
            {f.dateTime(submission.createdAt)} · {t.form(submission.formId)}
            {submission.pageUrl && <div class="hint">{submission.pageUrl}</div>}
          </li>
        ))}
      </ul>

      <Dialog open={dialog === 'move'} title={t.move} onClose={() => setDialog(null)}>
        <MoveStage
          base={base}
          lead={lead}
          stages={stagesOf(lead)}
          onDone={() => {
            setDialog(null)
            setNotice(t.moved)
            reload()
          }}
          onCancel={() => setDialog(null)}
        />
      </Dialog>
      <Dialog open={dialog === 'erase'} title={t.eraseTitle} onClose={() => setDialog(null)}>
        <p>{t.eraseBody}</p>
        {error !== null && <ErrorNote error={error} />}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => setDialog(null)}>
            {t.cancel}
          </button>
          <button type="button" class="danger" onClick={() => void erase()}>
            {t.eraseConfirm}
          </button>
        </div>
      </Dialog>
    </>
  )
}

/**
 * The journey, newest first: the lead detail's first page, then older pages on request, each
 * continuing at the cursor of the one before (docs/leads.md#in-the-app).
 */
function Journey({
  base,
  lead,
  onError,
}: {
  base: string
  lead: Lead
  onError: (error: unknown) => void
}) {
  const t = useTexts(TEXTS)
  const f = useFormats()
  const [items, setItems] = useState(lead.journey)
  const [cursor, setCursor] = useState(lead.journeyNextCursor)
  const [loading, setLoading] = useState(false)
  // A reload (after a stage change) starts again from the newest page.
  useEffect(() => {
    setItems(lead.journey)
    setCursor(lead.journeyNextCursor)
  }, [lead])

  const showOlder = async () => {
    if (!cursor) return
    setLoading(true)
    try {
      const page = await api<JourneyPage>(`${base}/journey`, { query: { cursor } })
      setItems((shown) => [...shown, ...page.journey])
      setCursor(page.nextCursor)
    } catch (failure) {
      onError(failure)
    } finally {
      setLoading(false)
    }
  }

  if (items.length === 0) return <p>{t.noJourney}</p>
  return (
    <>
      <p class="hint">{t.newestFirst}</p>
      <ol class="timeline">
        {items.map((item) => (
          <li key={item.id}>
            <time dateTime={item.ts}>{f.dateTime(item.ts)}</time> · <strong>{item.type}</strong>
            {item.formId && ` · ${t.form(item.formId)}`}
            {item.value !== null && ` · ${t.engaged(item.value)}`}
            {item.url && <div class="hint">{item.url}</div>}
            {(item.utm.source || item.utm.medium || item.utm.campaign) && (
              <div class="hint">
                utm:{' '}
                {[item.utm.source, item.utm.medium, item.utm.campaign]
                  .map((v) => v ?? '–')
                  .join(' / ')}
              </div>
            )}
          </li>
        ))}
      </ol>
      {cursor && (
        <button type="button" class="secondary" disabled={loading} onClick={() => void showOlder()}>
          {t.older}
        </button>
      )}
    </>
  )
}

function MoveStage({
  base,
  lead,
  stages,
  onDone,
  onCancel,
}: {
  base: string
  lead: Lead
  stages: readonly string[]
  onDone: () => void
  onCancel: () => void
}) {
  const t = useTexts(TEXTS)
  const lang = useLang()
  const [stage, setStage] = useState(
    stages.find((entry) => entry !== lead.stage && entry !== 'disqualified') ?? lead.stage,
  )
  const [error, setError] = useState<unknown>(null)
  const backward =
    stage !== 'disqualified' &&
    lead.stage !== 'disqualified' &&
    stages.indexOf(stage) < stages.indexOf(lead.stage)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget as HTMLFormElement)
    const reason = String(data.get('reason') ?? '').trim()
    const body: Record<string, unknown> = { stage }
    if (reason) body.reason = reason
    if (stage === 'customer') {
      const currency = String(data.get('currency') ?? '')
        .trim()
        .toUpperCase()
      // The API takes minor units (cents); the person types major units.
      let digits = 2
      try {
        digits =
          new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
            .maximumFractionDigits ?? 2
      } catch {
        // not a currency code: the API says so
      }
      const major = Number(String(data.get('amount') ?? '').replace(',', '.'))
      body.value = { amount: Math.round(major * 10 ** digits), currency }
    }
    try {
      await api<StageChangeResult>(`${base}/stage`, { method: 'POST', body })
      onDone()
    } catch (failure) {
      setError(failure)
    }
  }

  const problemText =
    error instanceof ApiError && error.problem.errors?.length
      ? error.problem.errors.map((entry) => `${entry.path}: ${entry.message}`).join('; ')
      : null

  return (
    <form onSubmit={(event) => void onSubmit(event)}>
      <label>
        <span>{t.newStage}</span>
        <select
          name="stage"
          value={stage}
          onChange={(event) => setStage((event.currentTarget as HTMLSelectElement).value)}
        >
          {stages.map((entry) => (
            <option key={entry} value={entry}>
              {STAGE_NAMES[entry]?.[lang] ?? entry}
            </option>
          ))}
        </select>
      </label>
      {backward && <p class="hint">{t.reasonNeeded}</p>}
      <label>
        <span>{t.reason}</span>
        <textarea name="reason" maxLength={500} required={backward} rows={2} />
      </label>
      {stage === 'customer' && (
        <>
          <label>
            <span>{t.amount}</span>
            <input name="amount" inputMode="decimal" required pattern="[0-9]+([.,][0-9]{1,2})?" />
          </label>
          <label>
            <span>{t.currency}</span>
            <input
              name="currency"
              required
              defaultValue="EUR"
              maxLength={3}
              pattern="[A-Za-z]{3}"
            />
          </label>
        </>
      )}
      {error !== null && (
        <>
          <ErrorNote error={error} />
          {problemText && <p class="hint">{problemText}</p>}
        </>
      )}
      <div class="buttons">
        <button type="button" class="secondary" onClick={onCancel}>
          {t.cancel}
        </button>
        <button type="submit">{t.save}</button>
      </div>
    </form>
  )
}
