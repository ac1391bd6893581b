/**
 * The languages License Desk speaks, and how a locale from Teams (activity.locale, the tab's context) picks one
 * (README: Languages). Any other language falls back to English, a regional variant to its language (de-AT ->
 * de), and a locale that is not a well-formed BCP 47 tag to English: never an error.
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/**
 * Microsoft's pseudo-locale: the English catalogue accented and made 40% longer, so that a test (or a person)
 * sees at once any text that does not come from the catalogues, and any layout that breaks on longer words.
 */
export const PSEUDO_LOCALE = 'qps-ploc';

const CHOSEN = new Map<string, Language | typeof PSEUDO_LOCALE>();

/** The language a locale asks for: one of LANGUAGES, or the pseudo-locale. */
export function languageOf(locale: string | undefined): Language | typeof PSEUDO_LOCALE {
  if (!locale) return DEFAULT_LANGUAGE;
  let chosen = CHOSEN.get(locale);
  if (chosen === undefined) {
    chosen = choose(locale);
    if (CHOSEN.size < 1000) CHOSEN.set(locale, chosen);
  }
  return chosen;
}

function choose(locale: string): Language | typeof PSEUDO_LOCALE {
  const tag = locale.trim().replace(/_/g, '-');
  if (tag.toLowerCase() === PSEUDO_LOCALE) return PSEUDO_LOCALE;
  let language: string;
  try {
    // Validates the tag (script, region, variants and extensions are allowed and ignored).
    language = new Intl.Locale(tag).language;
  } catch {
    return DEFAULT_LANGUAGE;
  }
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : DEFAULT_LANGUAGE;
}
