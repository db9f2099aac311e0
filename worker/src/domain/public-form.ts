import type { Locale } from '../../../shared/common'
import { textIn, type Form, type PublicForm } from '../../../shared/form'

/**
 * A form as the widget shows it: every text in `locale`, each consent the version in that
 * language, and the asset's URL kept on the server (it is handed out only after a submission).
 */
export function toPublicForm(form: Form, locale: Locale): PublicForm {
  const tr = (text: Parameters<typeof textIn>[0]) => textIn(text, locale)
  return {
    formId: form.formId,
    kind: form.kind,
    locale,
    locales: form.locales,
    title: tr(form.title),
    description: form.description === null ? null : tr(form.description),
    fields: form.fields.map(({ label, help, placeholder, options, ...field }) => ({
      ...field,
      label: tr(label),
      ...(help === undefined ? {} : { help: tr(help) }),
      ...(placeholder === undefined ? {} : { placeholder: tr(placeholder) }),
      ...(options === undefined
        ? {}
        : {
            options: options.map((option) =>
              typeof option === 'string'
                ? option
                : { value: option.value, label: tr(option.label) },
            ),
          }),
    })),
    consents: form.consents.map(({ purpose, required, texts, ...first }) => ({
      purpose,
      required,
      ...(texts?.[locale] ?? first),
    })),
    popup: form.popup,
    submitLabel: form.submitLabel === null ? null : tr(form.submitLabel),
    thanks: form.thanks === null ? null : tr(form.thanks),
    gated: form.asset !== null,
  }
}
