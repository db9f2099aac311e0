import { describe, expect, it } from 'vitest'
import {
  check,
  draftOf,
  newDraft,
  toInput,
  type CheckWords,
} from '../../app/src/screens/form-draft'
import { FormInputSchema, type Form } from '../../shared/form'

/** The form builder's model (docs/app.md#forms): what it checks and what it sends. */
const WORDS = new Proxy({} as CheckWords, { get: (_, name) => String(name) })

const saved = (input: object): Form =>
  ({
    formId: 'wp',
    locales: ['de', 'en'],
    popup: null,
    ...FormInputSchema.parse(input),
  }) as unknown as Form

const BASE = {
  kind: 'whitepaper',
  title: { de: 'Titel', en: 'Title' },
  fields: [{ name: 'email', type: 'email', required: true, label: { de: 'E-Mail', en: 'Email' } }],
}

describe('the form draft', () => {
  it('asks for an optional text in every language once it is given in one', () => {
    const draft = draftOf(saved(BASE))
    expect(check(draft, WORDS, false)).toEqual({})
    draft.fields[0]!.help = { en: 'We never share it.' }
    draft.thanks = { de: 'Danke!' }
    expect(check(draft, WORDS, false)).toEqual({
      'fields.0.help.de': 'allLanguages',
      'thanks.en': 'allLanguages',
    })
  })

  it('keeps a field length bound and leaves unset popup numbers to the widget', () => {
    const input = {
      ...BASE,
      fields: [{ ...BASE.fields[0], maxLength: 120 }],
      popup: { trigger: 'scroll', frequency: 'days', mobile: { trigger: 'delay' } },
    }
    const draft = draftOf(saved(input))
    expect(check(draft, WORDS, false)).toEqual({})
    const out = toInput(draft)
    expect(out.fields[0]!.maxLength).toBe(120)
    expect(out.popup).toEqual({
      trigger: 'scroll',
      frequency: 'days',
      mobile: { trigger: 'delay' },
    })
    expect(FormInputSchema.safeParse(out).success).toBe(true)
  })

  it('refuses depths over 100 % and lengths out of bounds, in the browser before the API', () => {
    const draft = draftOf(saved(BASE))
    Object.assign(draft, { display: 'popup', trigger: 'scroll', triggerValue: '150' })
    Object.assign(draft, { mobile: 'scroll_up', mobileValue: '120' })
    draft.fields[0]!.maxLength = '0'
    expect(check(draft, WORDS, false)).toEqual({
      'popup.value': 'percentBad',
      'popup.mobile.value': 'percentBad',
      'fields.0.maxLength': 'lengthBad',
    })
  })

  it('gives a click popup no phone trigger, and a new popup none unless chosen', () => {
    const draft = newDraft('en', { en: 'Email' })
    Object.assign(draft, {
      formId: 'demo',
      title: { en: 'Book a demo' },
      display: 'popup',
      trigger: 'click',
      triggerValue: '#demo-button',
    })
    expect(toInput(draft).popup).toEqual({
      trigger: 'click',
      value: '#demo-button',
      frequency: 'session',
    })
    draft.mobile = 'scroll_up'
    expect(toInput(draft).popup).not.toHaveProperty('mobile')
    draft.trigger = 'exit_intent'
    expect(toInput(draft).popup).toEqual({
      trigger: 'exit_intent',
      frequency: 'session',
      mobile: { trigger: 'scroll_up' },
    })
  })

  it('sends no placeholder or length bound for a choice', () => {
    const draft = draftOf(
      saved({
        ...BASE,
        fields: [
          ...BASE.fields,
          {
            name: 'size',
            type: 'select',
            label: { de: 'Größe', en: 'Size' },
            options: ['1-10', '11-50'],
          },
        ],
      }),
    )
    Object.assign(draft.fields[1]!, { placeholder: { en: 'Pick one' }, maxLength: '9' })
    expect(check(draft, WORDS, false)).toEqual({})
    const out = toInput(draft).fields[1]!
    expect(out).not.toHaveProperty('placeholder')
    expect(out).not.toHaveProperty('maxLength')
  })
})
