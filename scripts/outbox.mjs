#!/usr/bin/env node
// `npm run outbox`: the newest mails in the local collector's outbox (MAILER=outbox), where
// `npm start` sends invitations, sign-in links and opt-in mails instead of mailing anyone.
// `npm run outbox -- 10` shows the ten newest; the default is three.
import { query } from './dev/collector.mjs'

const count = Math.min(Math.max(Number(process.argv[2] ?? 3) || 3, 1), 100)
const rows = query(
  undefined,
  `SELECT id, recipient, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT ${count}`,
)
if (rows.length === 0) console.log('The outbox is empty.')
for (const row of rows.reverse()) {
  console.log(
    `── #${row.id} ${row.created_at}\nTo: ${row.recipient}\nSubject: ${row.subject}\n\n${row.body}`,
  )
}
