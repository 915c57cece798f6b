// Files the browser saves from data it already holds (exports of lists and analysis tables).

/** One CSV cell: quoted when it holds a comma, quote or line break. */
const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Saves rows as a CSV file. A byte-order mark first: Excel, as the sales office
 * opens it, otherwise reads UTF-8 Chinese as mojibake.
 */
export function downloadCsv(filename: string, header: string[], rows: unknown[][]): void {
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
  saveBlob(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }), filename);
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
