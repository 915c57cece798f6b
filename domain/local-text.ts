const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** How the engine titles the task that revises what an approval sent back. */
const REVISE_PREFIX = 'Revise: ';

/**
 * The part of a bilingual text in one language. Definitions name what people see in
 * both languages as `中文 English` (`到访接待 Visitor reception`, `客户分析会（与营销管理部）
 * Customer meeting`): the Chinese part, then an English tail that starts with a capital
 * (or a parenthesis) and holds no Chinese. Anything else — one language only, or an id
 * after Chinese (`审批折扣 a3f9`) — is returned whole.
 */
export function localText(text: string | null | undefined, language: string): string {
  if (!text) return '';
  // The engine names a revision task after the approval it answers (workflows/approvals.ts):
  // "Revise: 总经理审批… GM approves…" reads 修改：总经理审批… in Chinese.
  if (text.startsWith(REVISE_PREFIX))
    return `${language === 'en' ? REVISE_PREFIX : '修改：'}${localText(text.slice(REVISE_PREFIX.length), language)}`;
  for (let i = 1; i < text.length; i++) {
    if (!/[A-Z(]/.test(text[i]!)) continue;
    const zh = text.slice(0, i).trim();
    const en = text.slice(i).trim();
    const boundary = /\s/.test(text[i - 1]!) || CJK.test(text[i - 1]!) || /[）》」』】]/.test(text[i - 1]!);
    if (boundary && CJK.test(zh) && !CJK.test(en)) return language === 'en' ? en : zh;
  }
  return text;
}
