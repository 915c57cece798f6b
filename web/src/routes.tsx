import {
  AccountBookOutlined,
  DashboardOutlined,
  LineChartOutlined,
  AimOutlined,
  AppstoreOutlined,
  ContactsOutlined,
  AuditOutlined,
  BellOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  FileTextOutlined,
  PlayCircleOutlined,
  ProjectOutlined,
  SafetyOutlined,
  SettingOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { loadPageStrings } from './i18n';
import type { Access } from './session';

/** What every page receives: the path's parameters and query. */
export interface PageProps {
  params: Record<string, string>;
  query: Record<string, string>;
}

/** One route: its path, who may open it, its page (loaded on demand), and its menu entry. */
export interface AppRoute {
  path: string;
  /** The same permission names as the API's route table (`api/permissions.ts`). */
  access: Access;
  page: LazyExoticComponent<ComponentType<PageProps>>;
  menu?: { key: string; label: string; icon: ReactNode; group?: 'admin' };
  /** Rendered without the app's frame (sign-in). */
  bare?: boolean;
}

// Every page is its own chunk: esbuild splits at each dynamic import, so the admin
// pages' code is fetched only when an admin opens one. A page's strings beyond the
// core ones arrive with it (`loadPageStrings`); sign-in and My tasks need only the core.
type PageModule = { default: ComponentType<PageProps> };
const page = (load: () => Promise<PageModule>) => lazy(() => Promise.all([load(), loadPageStrings()]).then(([module]) => module));
const corePage = (load: () => Promise<PageModule>) => lazy(load);

/** The route table: the menu, the access checks and the router all read it. */
export const ROUTES: AppRoute[] = [
  { path: '/login', access: 'public', bare: true, page: corePage(() => import('./pages/login')) },
  {
    path: '/tasks',
    access: 'tasks.read',
    page: corePage(() => import('./pages/tasks')),
    menu: { key: 'tasks', label: 'nav.tasks', icon: <CheckSquareOutlined /> },
  },
  { path: '/tasks/:id', access: 'tasks.read', page: page(() => import('./pages/task')) },
  {
    path: '/processes',
    access: 'processes.read',
    page: page(() => import('./pages/processes')),
    menu: { key: 'processes', label: 'nav.processes', icon: <UnorderedListOutlined /> },
  },
  { path: '/processes/:id', access: 'processes.read', page: page(() => import('./pages/process')) },
  {
    path: '/start',
    access: 'processes.start',
    page: page(() => import('./pages/start')),
    menu: { key: 'start', label: 'nav.start', icon: <PlayCircleOutlined /> },
  },
  { path: '/start/:key', access: 'processes.start', page: page(() => import('./pages/start')) },
  {
    path: '/customers',
    access: 'customers.read',
    page: page(() => import('./pages/customers')),
    menu: { key: 'customers', label: 'nav.customers', icon: <ContactsOutlined /> },
  },
  { path: '/customers/:id', access: 'customers.read', page: page(() => import('./pages/customer')) },
  {
    path: '/orders',
    access: 'customers.read',
    page: page(() => import('./pages/orders')),
    menu: { key: 'orders', label: 'nav.orders', icon: <AccountBookOutlined /> },
  },
  {
    path: '/targets',
    access: 'targets.read',
    page: page(() => import('./pages/targets')),
    menu: { key: 'targets', label: 'nav.targets', icon: <AimOutlined /> },
  },
  {
    path: '/performance',
    access: 'customers.write',
    page: page(() => import('./pages/performance')),
    menu: { key: 'performance', label: 'nav.performance', icon: <DashboardOutlined /> },
  },
  {
    path: '/analytics',
    access: 'analytics.read',
    page: page(() => import('./pages/analytics')),
    menu: { key: 'analytics', label: 'nav.analytics', icon: <LineChartOutlined /> },
  },
  {
    path: '/units',
    access: 'units.read',
    page: page(() => import('./pages/units')),
    menu: { key: 'units', label: 'nav.units', icon: <AppstoreOutlined /> },
  },
  {
    path: '/records',
    access: 'records.read',
    page: page(() => import('./pages/records')),
    menu: { key: 'records', label: 'nav.records', icon: <FileTextOutlined /> },
  },
  {
    path: '/board',
    access: 'tasks.manage',
    page: page(() => import('./pages/board')),
    menu: { key: 'board', label: 'nav.board', icon: <BarChartOutlined /> },
  },
  {
    path: '/admin/users',
    access: 'users.manage',
    page: page(() => import('./pages/admin/users')),
    menu: { key: 'users', label: 'nav.users', icon: <TeamOutlined />, group: 'admin' },
  },
  {
    path: '/admin/roles',
    access: 'users.manage',
    page: page(() => import('./pages/admin/roles')),
    menu: { key: 'roles', label: 'nav.roles', icon: <SafetyOutlined />, group: 'admin' },
  },
  {
    path: '/admin/projects',
    access: 'users.manage',
    page: page(() => import('./pages/admin/projects')),
    menu: { key: 'projects', label: 'nav.projects', icon: <ProjectOutlined />, group: 'admin' },
  },
  {
    path: '/admin/settings',
    access: 'settings.write',
    page: page(() => import('./pages/admin/settings')),
    menu: { key: 'settings', label: 'nav.settings', icon: <SettingOutlined />, group: 'admin' },
  },
  {
    path: '/admin/audit',
    access: 'audit.read',
    page: page(() => import('./pages/admin/audit')),
    menu: { key: 'audit', label: 'nav.audit', icon: <AuditOutlined />, group: 'admin' },
  },
  {
    path: '/admin/dead-letters',
    access: 'settings.write',
    page: page(() => import('./pages/admin/dead-letters')),
    menu: { key: 'dead-letters', label: 'nav.deadLetters', icon: <BellOutlined />, group: 'admin' },
  },
  { path: '/password', access: 'signed-in', page: page(() => import('./pages/password')) },
  { path: '/help', access: 'signed-in', page: page(() => import('./pages/help')) },
  { path: '/me/notifications', access: 'signed-in', page: page(() => import('./pages/me/notification-preferences')) },
];

/** The route a path opens, with its parameters. */
export function findRoute(path: string, match: (pattern: string, path: string) => Record<string, string> | null) {
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
