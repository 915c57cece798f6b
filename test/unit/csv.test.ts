import { tableToCsv } from '../../api/services/analytics-export';
import { defuseFormula, toCsv } from '../../formats/csv';

// The one CSV writer (server exports and the browser's lists): a cell a spreadsheet
// would run as a formula arrives as text.

test('every formula start is defused: = + - @, TAB, CR, LF and the full-width forms', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) {
    const text = `${start}HYPERLINK("http://evil.test","open")`;
    expect(defuseFormula(text)).toBe(`'${text}`);
  }
  // A tab or CR before the formula (Excel skips them) is the server's old blind spot.
  expect(tableToCsv({ name: 't', columns: ['a'], rows: [['\t=1+1'], ['\r=1+1']] })).toBe('\uFEFFa\r\n\'\t=1+1\r\n"\'\r=1+1"\r\n');
});

test('numbers and number-like text stay numbers; ordinary text is untouched', () => {
  for (const text of ['-1200.50', '+86', '-2', '3.5e-3', '0', '张三', 'a=b', ' =1']) {
    expect(defuseFormula(text)).toBe(text);
  }
  expect(defuseFormula('+86 138 0000 0000')).toBe("'+86 138 0000 0000");
});

test('RFC 4180 quoting, CRLF, a BOM for Excel, empty for nothing, dates as instants', () => {
  const csv = toCsv(
    ['name', 'note', 'at'],
    [
      ['a,b', '说"明"', new Date('2026-01-02T03:04:05Z')],
      ['=cmd|"/c calc"!A1', null, undefined],
      ['line\nbreak', 'cr\ronly', -2],
    ],
  );
  expect(csv).toBe(
    '\uFEFFname,note,at\r\n' +
      '"a,b","说""明""",2026-01-02T03:04:05.000Z\r\n' +
      '"\'=cmd|""/c calc""!A1",,\r\n' +
      '"line\nbreak","cr\ronly",-2\r\n',
  );
  expect(toCsv(['a'], [], { bom: false })).toBe('a\r\n');
});
