import type { Locale } from '../../shared/common'
import type { WidgetTexts } from '../../shared/widget-texts'
import type { Ctx } from '../context'

export type { ShownCode } from '../../shared/widget-texts'
export type Strings = WidgetTexts

/**
 * The widget's own texts in the form's language. The collector serves each form in the page's
 * language (`<html lang>`) where the form has it, else the site's, and the texts of those
 * languages with it (widget/README.md#forms-and-popups).
 */
export const pickStrings = (ctx: Ctx, locale: Locale): Strings => ctx.c.texts[locale]!
