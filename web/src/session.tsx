import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, tokenStore } from './api/client';
import { queryClient } from './api/queries';
import type { Me, Permission, Settings } from './api/types';
import { applyLanguage, storedLanguage } from './i18n';

/** Who may see a route: anyone, anyone signed in, or holders of one permission (as the API checks). */
export type Access = 'public' | 'signed-in' | Permission;

/** The signed-in user, the settings, and the permission check every page uses. */
export interface SessionValue {
  me: Me | null;
  settings: Settings | null;
  /** Whether the user may do what `access` names: the same rule as the API's route table. */
  can: (access: Access) => boolean;
  signIn: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The session of the page. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Reads the user and the settings for the stored token; renders `fallback` until known. */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [ready, setReady] = useState(false);

  const load = useCallback(async () => {
    if (!tokenStore.get()) {
      setMe(null);
      setReady(true);
      return;
    }
    try {
      const user = await api.get<Me>('/api/auth/me');
      const loaded = user.permissions.includes('settings.read') ? await api.get<Settings>('/api/settings') : null;
      // The user's own choice wins; otherwise the settings' default language.
      if (!storedLanguage() && loaded) await applyLanguage(loaded.defaultLocale);
      setSettings(loaded);
      setMe(user);
    } catch {
      tokenStore.clear();
      setMe(null);
    }
    setReady(true);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      tokenStore.clear();
      // What one user read must not show to the next one signing in on this browser.
      queryClient.clear();
      setMe(null);
    });
    void load();
  }, [load]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      settings,
      can: (access) => access === 'public' || (me !== null && (access === 'signed-in' || me.permissions.includes(access))),
      signIn: async (token) => {
        queryClient.clear();
        tokenStore.set(token);
        await load();
      },
      signOut: async () => {
        await api.post('/api/auth/logout').catch(() => undefined);
        tokenStore.clear();
        queryClient.clear();
        setMe(null);
      },
    }),
    [me, settings, load],
  );
  return <SessionContext.Provider value={value}>{ready ? children : fallback}</SessionContext.Provider>;
}
