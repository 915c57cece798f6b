/**
 * A readable form of a key nobody has translated yet: `task.extend-deadline` →
 * "Task extend deadline", `sales_supervisor` → "Sales supervisor". Never the raw key.
 */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[._\-\s]+/)
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * The part of a bilingual text in one language. Definitions name what people see in
 * both languages as `中文 English` (`到访接待 Visitor reception`, `《到访客户意向登记表》
 * Register the visitor’s intent`): the Chinese part up to the last space before an
 * English tail without Chinese in it. A text in one language only is returned whole.
 */
export function localText(text: string | null | undefined, language: string): string {
  if (!text) return '';
  for (let i = text.indexOf(' '); i > 0; i = text.indexOf(' ', i + 1)) {
    const zh = text.slice(0, i).trim();
    const en = text.slice(i + 1).trim();
    if (CJK.test(zh) && /^[A-Za-z(]/.test(en) && !CJK.test(en)) return language === 'en' ? en : zh;
  }
  return text;
}
