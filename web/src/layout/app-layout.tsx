import {
  BellOutlined,
  DownOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuOutlined,
  QuestionCircleOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Select, Space, type MenuProps } from 'antd';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES, type Language } from '../i18n';
import { useLabels } from '../i18n/labels';
import { href, navigate } from '../router';
import { ROUTES } from '../routes';
import { useSession } from '../session';
import { Muted } from '../components/text';

// Phones only: the drawer's code loads when a phone first shows the page.
const PhoneDrawer = lazy(() => import('./phone-drawer'));
// The notification centre loads beside the page, not with it: the first page stays within its budget.
const NotificationBell = lazy(() => import('./notification-bell'));

/** The menu the user may see: the route table filtered by permission, admin pages in a group. */
function useMenuItems(): MenuProps['items'] {
  const { t } = useTranslation();
  const { can } = useSession();
  const visible = ROUTES.filter((r) => r.menu && can(r.access));
  const item = (r: (typeof visible)[number]) => ({
    key: r.menu!.key,
    icon: r.menu!.icon,
    label: <a href={href(r.path)}>{t(r.menu!.label)}</a>,
  });
  const main = visible.filter((r) => r.menu!.group !== 'admin').map(item);
  const admin = visible.filter((r) => r.menu!.group === 'admin').map(item);
  return admin.length ? [...main, { type: 'group', key: 'admin', label: t('nav.admin'), children: admin }] : main;
}

/** The frame of every signed-in page: menu (a drawer on phones), header with language and user. */
export function AppLayout({ selected, children }: { selected: string; children: ReactNode }) {
  const { t, language, role } = useLabels();
  const { me, signOut } = useSession();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const items = useMenuItems();
  const menu = (
    <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={() => setDrawer(false)} style={{ borderInlineEnd: 'none' }} />
  );
  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <LockOutlined />, label: t('nav.password'), onClick: () => navigate('/password') },
    { key: 'notifications', icon: <BellOutlined />, label: t('nav.notificationPreferences'), onClick: () => navigate('/me/notifications') },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: t('nav.signOut'),
      onClick: () => {
        void signOut().then(() => navigate('/login'));
      },
    },
  ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={208} breakpoint="lg" collapsedWidth={64} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div className="brand">{t('app.short')}</div>
          <nav aria-label={t('common.menu')}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="app-header">
          <Space size={phone ? 4 : 12} style={{ minWidth: 0 }}>
            {phone && <Button type="text" aria-label={t('common.menu')} icon={<MenuOutlined />} onClick={() => setDrawer(true)} />}
            {phone && <strong>{t('app.short')}</strong>}
          </Space>
          <Space size={phone ? 4 : 12}>
            <Button type="text" href={href('/help')} aria-label={t('nav.help')} title={t('nav.help')} icon={<QuestionCircleOutlined />} />
            <Suspense fallback={null}>
              <NotificationBell />
            </Suspense>
            <Select<Language>
              id="app-language"
              aria-label={t('common.language')}
              size="small"
              value={language === 'en' ? 'en' : 'zh-CN'}
              onChange={(value) => void chooseLanguage(value)}
              options={LANGUAGES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
              style={{ width: 92 }}
            />
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {phone ? null : (
                  <span>
                    {me?.displayName}
                    {me?.roles[0] ? <Muted> · {role(me.roles[0])}</Muted> : null}
                  </span>
                )}
                <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">{children}</Layout.Content>
      </Layout>
      {phone && (
        <Suspense fallback={null}>
          <PhoneDrawer open={drawer} onClose={() => setDrawer(false)} title={t('app.short')}>
            <nav aria-label={t('common.menu')}>{menu}</nav>
          </PhoneDrawer>
        </Suspense>
      )}
    </Layout>
  );
}
