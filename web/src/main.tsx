import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin, type ThemeConfig } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { Muted } from './components/text';
import { queryClient } from './api/queries';
import { MessageProvider } from './feedback';
import { GLOBAL_CSS } from './global-style';
import { initI18n } from './i18n';
import { AppLayout } from './layout/app-layout';
import { matchPath, navigate, queryOf, usePath } from './router';
import { findRoute } from './routes';
import { SessionProvider, useSession } from './session';

/**
 * antd's tokens, darkened where the defaults fall short of WCAG AA contrast (4.5:1)
 * for text: secondary and placeholder text, links, and the status colours tags use.
 */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1d39c4',
    colorLink: '#1d39c4',
    colorInfo: '#1d39c4',
    colorSuccess: '#237804',
    // The tints tags sit on are derived from the seed colours, and from these dark
    // seeds antd derives a grey-green and a beige that the text fails on (2.7:1 and
    // 4.3:1): its own light tints, on which the dark text reads at 5.4:1 and 5.2:1.
    colorSuccessBg: '#f6ffed',
    colorWarning: '#ad4e00',
    colorWarningBg: '#fffbe6',
    colorError: '#c41d1d',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.64)',
    colorTextDescription: 'rgba(0, 0, 0, 0.64)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
  },
};

const ErrorPage = lazy(() => import('./components/error-page'));

const loading = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

/** Opens the route of the current path, if the user may; otherwise sign-in or a 403/404 page. */
function Router() {
  const path = usePath();
  const { me, can } = useSession();
  const found = findRoute(path, matchPath);
  const goesToLogin = !me && found?.route.access !== 'public';
  const home = path === '/' || path === '';
  useEffect(() => {
    if (goesToLogin && path !== '/login') navigate('/login');
    else if (me && (home || path === '/login')) navigate('/tasks');
  }, [goesToLogin, me, home, path]);
  if (goesToLogin || (me && home)) return loading;
  if (!found)
    return (
      <AppLayout selected="">
        <Suspense fallback={loading}>
          <ErrorPage status="404" />
        </Suspense>
      </AppLayout>
    );
  const { route, params } = found;
  const Page = route.page;
  const content = (
    <Suspense fallback={loading}>
      <Page params={params} query={queryOf(path)} />
    </Suspense>
  );
  if (route.bare) return content;
  const selected = route.path.split('/').filter(Boolean).pop() ?? '';
  const menuKey = route.path.startsWith('/admin/') ? selected : (route.path.split('/')[1] ?? '');
  return (
    <AppLayout selected={menuKey}>
      {can(route.access) ? (
        content
      ) : (
        <Suspense fallback={loading}>
          <ErrorPage status="403" />
        </Suspense>
      )}
    </AppLayout>
  );
}

/** antd in the user's language, and the session around the router. */
function App() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  dayjs.locale(english ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={THEME}
      button={{ autoInsertSpace: false }}
      // Every dialog holds a form (or a one-time password): a click beside it must not
      // close it and lose what it holds. antd closes on any mask click by default, and
      // a dialog zooms in from the button that opened it, so the second click of a
      // double click (or any click while it opens) lands on the mask and closes it.
      modal={{ mask: { closable: false } }}
      renderEmpty={() => (
        <Muted block style={{ textAlign: 'center', padding: 8 }}>
          {t('common.empty')}
        </Muted>
      )}
    >
      <QueryClientProvider client={queryClient}>
        <MessageProvider>
          <SessionProvider fallback={loading}>
            <Router />
          </SessionProvider>
        </MessageProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

void initI18n().then(() => {
  const style = document.createElement('style');
  style.textContent = GLOBAL_CSS;
  document.head.append(style);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
