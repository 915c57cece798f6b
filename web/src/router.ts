import { useSyncExternalStore } from 'react';

// Hash routing: the server serves one page, and links survive a reload or a new tab.

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const current = () => location.hash.replace(/^#/, '') || '/';

/** The current path (`/tasks/123`), re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, current);
}

/** Goes to `path` (`/processes`). */
export function navigate(path: string): void {
  location.hash = path;
}

/** An href for `path`. */
export const href = (path: string): string => `#${path}`;

/** Matches `/tasks/:id` against a path; the params, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const [pathname] = path.split('?');
  const got = (pathname ?? '').split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/** The query string of the current hash path as an object. */
export function queryOf(path: string): Record<string, string> {
  const [, search] = path.split('?');
  return Object.fromEntries(new URLSearchParams(search ?? ''));
}

/**
 * Changes some query parameters of the current path, keeping the others: a list's
 * filters live in the address, so a filtered list survives a reload and can be shared.
 * An empty or undefined value removes the parameter.
 */
export function setQueryParams(patch: Record<string, string | undefined>): void {
  const path = current();
  const [pathname = '/', search] = path.split('?');
  const params = new URLSearchParams(search ?? '');
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  const next = params.toString();
  navigate(next ? `${pathname}?${next}` : pathname);
}
