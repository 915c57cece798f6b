const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * The part of a bilingual text in one language. Definitions name what people see in
 * both languages as `中文 English` (`到访接待 Visitor reception`, `客户分析会（与营销管理部）
 * Customer meeting`): the Chinese part, then an English tail that starts with a capital
 * (or a parenthesis) and holds no Chinese. Anything else — one language only, or an id
 * after Chinese (`审批折扣 a3f9`) — is returned whole.
 */
export function localText(text: string | null | undefined, language: string): string {
  if (!text) return '';
  for (let i = 1; i < text.length; i++) {
    if (!/[A-Z(]/.test(text[i]!)) continue;
    const zh = text.slice(0, i).trim();
    const en = text.slice(i).trim();
    const boundary = /\s/.test(text[i - 1]!) || CJK.test(text[i - 1]!) || /[）》」』】]/.test(text[i - 1]!);
    if (boundary && CJK.test(zh) && !CJK.test(en)) return language === 'en' ? en : zh;
  }
  return text;
}
