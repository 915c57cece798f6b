import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { AppConfig } from '../../config/env';
import { ANALYTICS_MEASURES } from '../../domain';
import { type EXPORT_LANGUAGES, measureWord } from './analytics-export';

// The daily, weekly and monthly reports as a PDF file (issue 11: "readable on
// screen, printable, exportable to XLSX and PDF"). pdfkit writes it; the Chinese
// glyphs come from a system font (a CJK font is megabytes; it is embedded subset,
// so a report is some tens of kilobytes).

/** Where a CJK font usually is: Debian/Ubuntu (fonts-noto-cjk), Fedora, macOS. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/System/Library/Fonts/PingFang.ttc',
];

/** The font the PDFs are written with, or `undefined` when this machine has none. */
export function pdfFont(config: Pick<AppConfig, 'PDF_FONT_PATH' | 'PDF_FONT_NAME'>): { path: string; name: string } | undefined {
  const path = config.PDF_FONT_PATH ?? FONT_CANDIDATES.find((p) => existsSync(p));
  return path && existsSync(path) ? { path, name: config.PDF_FONT_NAME } : undefined;
}

/** What a report PDF shows: the report as `AnalyticsService.report` answers it. */
export interface ReportForPdf {
  kind: string;
  project: { id: string; name: string };
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  figures: Record<string, number>;
  previous: Record<string, number>;
  change: Record<string, { delta: number; ratio: number | null }>;
  agents: Record<string, unknown>[];
  channels: Record<string, unknown>[];
}

const WORDS = {
  'zh-CN': {
    kind: { daily: '日报', weekly: '周报', monthly: '月报', quarterly: '季报', yearly: '年报' } as Record<string, string>,
    measure: '指标',
    now: '本期',
    before: '上期',
    change: '变化',
    agents: '置业顾问排名（签约套数 · 签约金额）',
    channels: '渠道（到访 · 签约）',
    none: '未知渠道',
    made: '生成于',
  },
  en: {
    kind: {
      daily: 'Daily report',
      weekly: 'Weekly report',
      monthly: 'Monthly report',
      quarterly: 'Quarterly report',
      yearly: 'Yearly report',
    } as Record<string, string>,
    measure: 'Measure',
    now: 'This period',
    before: 'Before',
    change: 'Change',
    agents: 'Agents (contracts · amount)',
    channels: 'Channels (visits · contracts)',
    none: 'unknown channel',
    made: 'Made',
  },
};

/** The report's title, as the PDF's first line and its document title. */
export function reportTitle(r: ReportForPdf, language: (typeof EXPORT_LANGUAGES)[number]): string {
  const w = WORDS[language];
  const period = r.period.from === r.period.to ? r.period.from : `${r.period.from} ~ ${r.period.to}`;
  return `${r.project.name} ${w.kind[r.kind] ?? r.kind} ${period}`;
}

/** Writes the report as an A4 PDF: title, one row a measure (this period, the one before, the change), rankings. */
export function reportToPdf(
  r: ReportForPdf,
  language: (typeof EXPORT_LANGUAGES)[number],
  font: { path: string; name: string },
): Promise<Buffer> {
  const w = WORDS[language];
  const title = reportTitle(r, language);
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: title, Creator: 'salesproc' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(font.path, font.name);
  const number = (v: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(v);
  // Amounts with the currency, as the report page shows them.
  const money = (v: number) => new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(v);
  const show = (m: string, v: number) => (/Amount$/.test(m) ? money(v) : number(v));
  doc.fontSize(16).text(title);
  doc.moveDown(0.3).fontSize(9).fillColor('#595959').text(`${w.before}: ${r.previousPeriod.from} ~ ${r.previousPeriod.to}`);
  doc.moveDown(0.8).fillColor('#000000');
  // A table of four columns at fixed x positions: measure, now, before, change.
  const x = [48, 230, 330, 430];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.fontSize(bold ? 10.5 : 10);
    cells.forEach((c, i) => doc.text(c, x[i]!, y, { width: (x[i + 1] ?? 547) - x[i]! - 8, lineBreak: false }));
    doc.x = 48;
    doc.y = y + 18;
  };
  row([w.measure, w.now, w.before, w.change], true);
  doc
    .moveTo(48, doc.y - 4)
    .lineTo(547, doc.y - 4)
    .strokeColor('#d9d9d9')
    .stroke();
  for (const m of ANALYTICS_MEASURES) {
    const c = r.change[m];
    const change = c ? `${c.delta > 0 ? '+' : ''}${show(m, c.delta)}${c.ratio === null ? '' : ` (${(c.ratio * 100).toFixed(1)}%)`}` : '';
    row([measureWord(m, language), show(m, r.figures[m] ?? 0), show(m, r.previous[m] ?? 0), change]);
  }
  doc.moveDown(1).fontSize(11).text(w.agents, 48);
  doc.fontSize(10);
  for (const a of r.agents)
    doc.text(`${String(a.rank)}. ${String(a.name)} · ${number(Number(a.contracts))} · ${money(Number(a.contractAmount))}`);
  doc.moveDown(0.6).fontSize(11).text(w.channels);
  doc.fontSize(10);
  for (const c of r.channels) {
    const channel = typeof c.key === 'string' && c.key ? measureWord(c.key, language) : w.none;
    doc.text(`${channel} · ${number(Number(c.visits))} · ${number(Number(c.contracts))}`);
  }
  doc
    .moveDown(1)
    .fontSize(8)
    .fillColor('#8c8c8c')
    .text(`${w.made} ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.end();
  return done;
}
