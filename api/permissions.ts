/**
 * Permissions go by module and action. A role is a set of them; these are the
 * defaults that `ensureDefaultRoles` creates and an admin may then edit.
 */
export const PERMISSIONS = [
  'processes.read',
  'processes.start',
  'processes.cancel',
  'tasks.read',
  'tasks.complete',
  /** Reassign tasks, change deadlines, add or skip approvers. */
  'tasks.manage',
  /** Send external events to running processes; retry failing steps. */
  'processes.events',
  'plans.approve',
  /** Customers: list and search the project's (others' phones masked); register and follow up one's own. */
  'customers.read',
  'customers.write',
  /** Every customer in full, phone included, not only one's own. */
  'customers.read_all',
  /** Move customers from one agent to another (audited). */
  'customers.transfer',
  /** Export customers with their phones (audited). */
  'customers.export',
  /** Sales targets (销售任务) and their progress: read; assign. */
  'targets.read',
  'targets.manage',
  /** Units for sale (房源): read; create and price. */
  'units.read',
  'units.write',
  /** Submitted documents (registrations, archives, summaries…). */
  'records.read',
  'analytics.read',
  'definitions.read',
  'definitions.publish',
  'settings.read',
  'settings.write',
  'users.manage',
  'audit.read',
  /** See every project's data, not only the projects one is a member of. */
  'projects.all',
] as const;

/** A permission name. */
export type Permission = (typeof PERMISSIONS)[number];

/** Role names as they appear in definitions and on users. */
export const ROLE_NAMES = [
  'sales_agent',
  'sales_supervisor',
  'sales_ae',
  'marketing',
  'general_manager',
  'management',
  'sales_service',
  'project_manager',
  'design_consultant',
  'admin',
] as const;

/** A built-in role name. */
export type RoleName = (typeof ROLE_NAMES)[number];

const everyone: Permission[] = [
  'processes.read',
  'tasks.read',
  'tasks.complete',
  'definitions.read',
  'settings.read',
  'units.read',
  'records.read',
];

/** What the supervisor, the GM and management share: they run processes and manage others' tasks. */
const leads: Permission[] = [
  ...everyone,
  'processes.start',
  'processes.cancel',
  'processes.events',
  'tasks.manage',
  'plans.approve',
  'customers.read',
  'customers.read_all',
  'customers.export',
  'analytics.read',
  'targets.read',
];

/** The default roles of ../shared/SPEC.md, with titles and permissions. */
export const DEFAULT_ROLES: Record<RoleName, { title: string; permissions: Permission[] }> = {
  // Agents start the processes whose definitions name them as starters (visitor reception).
  sales_agent: {
    title: 'Sales agent (置业顾问)',
    permissions: [...everyone, 'processes.start', 'customers.read', 'customers.write', 'targets.read'],
  },
  sales_supervisor: {
    title: 'Project sales supervisor (项目销售主管)',
    permissions: [...leads, 'customers.write', 'units.write', 'customers.transfer', 'targets.manage'],
  },
  sales_ae: { title: 'Sales AE (项目销售AE)', permissions: [...everyone, 'customers.read', 'analytics.read', 'targets.read'] },
  marketing: { title: 'Marketing (营销管理部)', permissions: [...everyone, 'processes.start', 'processes.events', 'analytics.read'] },
  general_manager: { title: 'Project general manager (项目经理部总经理)', permissions: leads },
  management: { title: 'Company management (公司管理层)', permissions: [...leads, 'audit.read', 'projects.all'] },
  // Sales service takes deal customers over (after-sales): it reads them in full and
  // registers their cases (through the customer, not by starting any process).
  sales_service: {
    title: 'Sales service team (销售服务组)',
    permissions: [...everyone, 'customers.read', 'customers.write', 'customers.read_all'],
  },
  project_manager: { title: 'Project management (工程管理)', permissions: [...everyone] },
  design_consultant: { title: 'Design consultant (设计顾问)', permissions: [...everyone] },
  admin: { title: 'Administrator', permissions: [...PERMISSIONS] },
};
