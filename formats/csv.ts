import { stringify } from 'csv-stringify/sync';

// The one CSV writer of the product: the server's analysis exports and the browser's
// customer and order lists both go through it, so a guard added here protects both.
// Not in domain/: that folder imports nothing (the workflow sandbox loads it), and
// this module needs csv-stringify. The web build maps `csv-stringify/sync` to the
// package's browser build (scripts/build-web.ts), which carries its own Buffer.

/**
 * First characters that make a spreadsheet (Excel, WPS, LibreOffice, Numbers) read
 * a cell as a formula: = + - @ (OWASP), TAB and CR (Excel skips them and then sees
 * the formula), LF for the same reason, and the full-width forms a Chinese input
 * method types (＝ ＋ － ＠), which some spreadsheets normalise to the ASCII ones.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A plain number written as text (money is exact decimal text here): never a formula. */
const NUMBER_TEXT = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A cell's text made inert for spreadsheets: a leading quote before anything that
 * would start a formula (the quote shows, the formula does not run). Numbers and
 * number-like text (`-1200.50`) are left alone, so a refund stays a number.
 *
 * csv-stringify's own `escape_formulas` is not used: it also quotes negative
 * amounts written as text, and it misses a leading line feed.
 */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) && !NUMBER_TEXT.test(text) ? `'${text}` : text;
}

/** How one cell is written: empty for nothing, dates as ISO instants, the rest as text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Rows as CSV text: RFC 4180 quoting, CRLF line ends (Excel's), every cell guarded
 * by {@link defuseFormula}, and a UTF-8 byte-order mark first unless `bom: false`
 * (without it Excel reads UTF-8 Chinese as mojibake).
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[], options: { bom?: boolean } = {}): string {
  const records = [header, ...rows].map((row) => row.map((v) => defuseFormula(cellText(v))));
  // A lone CR or LF inside a cell is quoted too: csv-stringify quotes only the whole
  // record delimiter (CRLF), and a spreadsheet would start a new row at either.
  return stringify(records, { bom: options.bom ?? true, record_delimiter: 'windows', quoted_match: /[\r\n]/, escape_formulas: false });
}
