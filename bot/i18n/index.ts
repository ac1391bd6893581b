export { LANGUAGES, PSEUDO_LOCALE, languageOf, type Language } from './languages';
export { type MessageKey } from './catalogues';
export { translator, type MessageValue, type Translator } from './translator';
