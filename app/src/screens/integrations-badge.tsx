import type { StateTone } from './integrations-words'

/** A state in words with a sign and a colour beside them, so colour alone never tells it. */
export function StateBadge({ text, tone, sign }: { text: string; tone: StateTone; sign?: string }) {
  const shown = sign ?? (tone === 'good' ? '●' : tone === 'off' ? '○' : '!')
  return (
    <span class={`state state-${tone}`}>
      <span aria-hidden="true">{shown} </span>
      {text}
    </span>
  )
}
