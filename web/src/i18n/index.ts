import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from '../locales/zh-CN.json';

/** The languages of the app; zh-CN is the default. */
export type Language = 'zh-CN' | 'en';
export const LANGUAGES: Language[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'salesproc.language';

/** The language the user chose last, if any (kept in localStorage). */
export function storedLanguage(): Language | null {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'zh-CN' || value === 'en' ? value : null;
}

/** Switches the language and remembers the choice. */
export async function chooseLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  await applyLanguage(language);
}

/** Switches the language without remembering it (the settings' default). */
export async function applyLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  await i18n.changeLanguage(language);
}

/** zh-CN's core strings are in the first chunk; English is fetched the first time it is chosen. */
async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const { default: enUS } = await import('../locales/en-US.json');
    i18n.addResourceBundle('en', 'translation', enUS, true, true);
  }
  if (pageStringsWanted) await loadPageStrings();
}

// The strings of the pages beyond the shell, My tasks and a task (customers, units,
// administration…) are a chunk of their own per language, fetched with the first
// such page: the first page a user sees stays within its size budget as pages grow.
let pageStringsWanted = false;
const pageStringsLoaded = new Map<Language, Promise<void>>();

/** Loads the page strings of the current language (and remembers to load them on a switch). */
export function loadPageStrings(): Promise<void> {
  pageStringsWanted = true;
  const language: Language = i18n.language === 'en' ? 'en' : 'zh-CN';
  let loading = pageStringsLoaded.get(language);
  if (!loading) {
    loading = (language === 'en' ? import('../locales/en-US.pages.json') : import('../locales/zh-CN.pages.json')).then(
      ({ default: strings }) => {
        i18n.addResourceBundle(language, 'translation', strings, true, true);
      },
    );
    pageStringsLoaded.set(language, loading);
  }
  return loading;
}

/** Starts i18next with both locale files; one namespace, keys by meaning. */
export async function initI18n(): Promise<void> {
  const language = storedLanguage() ?? 'zh-CN';
  document.documentElement.lang = 'zh-CN';
  await i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN } },
    partialBundledLanguages: true,
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (language === 'en') await applyLanguage('en');
}

export { i18n };
