/**
 * A process-definition filter's options, by title in the reader's language. Two
 * definitions may share a title (an administrator's copy of a built-in one): those
 * say which is which by their key, so that a choice is never a guess.
 */
export function definitionOptions(
  definitions: readonly { key: string; title: string }[],
  text: (value: string) => string,
): { value: string; label: string }[] {
  const titles = definitions.map((d) => text(d.title));
  return definitions.map((d, i) => ({
    value: d.key,
    label: titles.filter((t) => t === titles[i]).length > 1 ? `${titles[i]}（${d.key}）` : titles[i]!,
  }));
}
