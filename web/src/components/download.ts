// Files the browser saves from data it already holds (exports of lists and analysis tables).

import { toCsv } from '../../../formats/csv';

/**
 * Saves rows as a CSV file, written by the same guarded writer as the server's
 * exports: a name or note like `=HYPERLINK(...)` arrives as text, not as a live
 * formula, and a byte-order mark comes first (Excel, as the sales office opens it,
 * otherwise reads UTF-8 Chinese as mojibake).
 */
export function downloadCsv(filename: string, header: string[], rows: unknown[][]): void {
  saveBlob(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), filename);
}

/** Hands a file to the browser to save. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
