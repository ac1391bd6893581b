/**
 * FormatJS's ICU MessageFormat formatter, the one the bot uses. The server serves the
 * package's self-contained ES module build at /tab/intl-messageformat.js (bot/tab/tabAssets.ts), so the page
 * imports it by that relative path, without a bundler; these are its types.
 */
export { IntlMessageFormat } from 'intl-messageformat';
