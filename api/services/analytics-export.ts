import ExcelJS from 'exceljs';
import { toCsv } from '../../formats/csv';

// Any analysis table as a file: CSV (UTF-8 with a byte-order mark, so that Excel
// opens Chinese text correctly) or XLSX (exceljs). PDF is left to the browser's print.

/** A table: its name (the file and sheet name), column names and rows of values. */
export interface AnalysisTable {
  name: string;
  columns: string[];
  rows: unknown[][];
}

/**
 * The table as CSV text (RFC 4180, CRLF line ends, BOM first), through the product's
 * one guarded writer: a cell that would start a formula is defused.
 */
export function tableToCsv(t: AnalysisTable): string {
  return toCsv(t.columns, t.rows);
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

/** The languages an export's headers can be in. */
export const EXPORT_LANGUAGES = ['zh-CN', 'en'] as const;

// Column headers (and funnel stage names) as people read them. The web app names the
// same measures in its locale files; an export leaves the browser as a file, so the
// server writes the words itself.
const WORDS: Record<string, [zh: string, en: string]> = {
  stage: ['环节', 'Stage'],
  count: ['数量', 'Count'],
  rate: ['环节转化率', 'From the stage before'],
  overall: ['到访转化率', 'From visits'],
  rank: ['排名', 'Rank'],
  key: ['代码', 'Key'],
  name: ['名称', 'Name'],
  period: ['期间', 'Period'],
  visits: ['到访', 'Visits'],
  registrations: ['报备', 'Registrations'],
  intents: ['意向登记', 'Intents'],
  followUps: ['跟进', 'Follow-ups'],
  subscriptions: ['认购', 'Subscriptions'],
  subscriptionAmount: ['认购金额', 'Subscribed amount'],
  contracts: ['签约', 'Contracts'],
  contractAmount: ['签约金额', 'Contract amount'],
  paid: ['回款完成', 'Fully paid'],
  paidAmount: ['回款金额', 'Amount received'],
  cancellations: ['退订', 'Cancellations'],
  cancelledAmount: ['退订金额', 'Cancelled amount'],
  refundAmount: ['退款金额', 'Refunds'],
  visitToContract: ['到访→签约', 'Visit → contract'],
  intentToContract: ['意向→签约', 'Intent → contract'],
  layout: ['户型', 'Layout'],
  units: ['总套数', 'Units'],
  soldUnits: ['已售套数', 'Units sold'],
  unitSellThrough: ['套数去化率', 'Units sold (share)'],
  listAmount: ['表价总值', 'List value'],
  soldListAmount: ['已售表价总值', 'List value sold'],
  amountSellThrough: ['货值去化率', 'Value sold (share)'],
  avgListPricePerM2: ['表价均价（每平方米）', 'Average list price per m²'],
  avgSoldListPricePerM2: ['已售表价均价（每平方米）', 'Average list price sold per m²'],
  avgContractPrice: ['平均成交价', 'Average contract price'],
  priceVsList: ['成交价 / 表价', 'Price / list'],
  projectId: ['项目', 'Project'],
  building: ['楼栋', 'Building'],
  floor: ['楼层', 'Floor'],
  customerId: ['客户编号', 'Customer id'],
  agentId: ['置业顾问编号', 'Agent id'],
  intent: ['意向程度', 'Intent level'],
  nextContactAt: ['计划联系时间', 'Next contact'],
  daysOverdue: ['逾期天数', 'Days overdue'],
  phase: ['阶段', 'Phase'],
  measure: ['指标', 'Measure'],
  // Channels (the reception form's sources), as the web app's option labels name them.
  'walk-in': ['自然到访', 'Walk-in'],
  referral: ['转介绍', 'Referral'],
  online: ['网络', 'Online'],
  event: ['活动', 'Event'],
  advertising: ['广告', 'Advertising'],
  other: ['其他', 'Other'],
  thisPeriod: ['本期', 'This period'],
  previousPeriod: ['上期', 'Previous period'],
  delta: ['变化', 'Change'],
  change: ['变化率', 'Change (share)'],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  targetUnits: ['目标套数', 'Target units'],
  targetAmount: ['目标金额', 'Target amount'],
  unitsAchieved: ['套数达成率', 'Units achieved'],
  amountAchieved: ['金额达成率', 'Amount achieved'],
};

/** A column's or a measure's name in `language`; a key without a word stays itself. */
export function measureWord(key: string, language: (typeof EXPORT_LANGUAGES)[number]): string {
  return WORDS[key]?.[language === 'en' ? 1 : 0] ?? key;
}

/**
 * The table with its headers — and the funnel's stage names — in `language`; a
 * header without a word stays its key. Without a language the keys stay, for
 * machines reading the file.
 */
export function localizeTable(t: AnalysisTable, language: (typeof EXPORT_LANGUAGES)[number] | undefined): AnalysisTable {
  if (!language) return t;
  const word = (key: string) => measureWord(key, language);
  // The funnel's stages and a report's measures are words too, not only the headers.
  const stageColumn = t.name === 'funnel' ? t.columns.indexOf('stage') : t.name.startsWith('report-') ? t.columns.indexOf('measure') : -1;
  return {
    name: t.name,
    columns: t.columns.map(word),
    rows: stageColumn < 0 ? t.rows : t.rows.map((r) => r.map((v, i) => (i === stageColumn ? word(String(v)) : v))),
  };
}
