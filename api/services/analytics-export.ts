import ExcelJS from 'exceljs';

// Any analysis table as a file: CSV (UTF-8 with a byte-order mark, so that Excel
// opens Chinese text correctly) or XLSX (exceljs). PDF is left to the browser's print.

/** A table: its name (the file and sheet name), column names and rows of values. */
export interface AnalysisTable {
  name: string;
  columns: string[];
  rows: unknown[][];
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const text = String(v);
  // Quote what needs it; a leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The table as CSV text (RFC 4180, CRLF line ends, BOM first). */
export function tableToCsv(t: AnalysisTable): string {
  return '\uFEFF' + [t.columns, ...t.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The table as an XLSX workbook of one sheet, numbers as numbers. */
export async function tableToXlsx(t: AnalysisTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'salesproc';
  const sheet = workbook.addWorksheet(t.name.slice(0, 31));
  sheet.columns = t.columns.map((c) => ({ header: c, key: c, width: Math.max(10, c.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(t.rows.map((r) => r.map((v) => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v)))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
