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

// Bilingual texts are one home's concern: domain/local-text.ts (the server words notifications with it too).
export { localText } from '../../../domain/local-text';
