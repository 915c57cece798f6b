import type { Client } from '@temporalio/client';
import { requireDatabaseUrl, type AppConfig } from '../../config/env';
import type { PrismaClient } from '../../db/client';
import { PgNotificationHub } from '../../db/pg-notifications';
import { TaskChangeFeed } from './task-change-feed';
import { SessionStreams } from './session-streams';
import { AnalyticsService } from './analytics-service';
import { AuditService } from './audit-service';
import { AuthService } from './auth-service';
import { CustomerService } from './customer-service';
import { HelpService } from './help-service';
import { TargetService } from './target-service';
import { DefinitionService } from './definition-service';
import { ProcessService } from './process-service';
import { SettingsService } from './settings-service';
import { TaskService } from './task-service';
import { UnitService } from './unit-service';
import { RecordService } from './record-service';
import { UserService } from './user-service';

/** What the API is built from. */
export interface ApiDeps {
  config: AppConfig;
  prisma: PrismaClient;
  temporal: Client;
}

/** Every service of the API, wired once. */
export interface Services {
  config: AppConfig;
  prisma: PrismaClient;
  temporal: Client;
  /** The API process's one LISTEN connection (notification streams, task changes). */
  pgNotifications: PgNotificationHub;
  /** Task changes as the activities announce them (starts that return their first tasks, streams). */
  taskChanges: TaskChangeFeed;
  audit: AuditService;
  auth: AuthService;
  definitions: DefinitionService;
  settings: SettingsService;
  processes: ProcessService;
  tasks: TaskService;
  users: UserService;
  units: UnitService;
  records: RecordService;
  customers: CustomerService;
  targets: TargetService;
  analytics: AnalyticsService;
  help: HelpService;
}

/** Wires the services. */
export function createServices({ config, prisma, temporal }: ApiDeps): Services {
  const audit = new AuditService(prisma);
  const settings = new SettingsService(prisma, audit);
  const definitions = new DefinitionService(prisma, audit);
  const pgNotifications = new PgNotificationHub(() => requireDatabaseUrl(config));
  const taskChanges = new TaskChangeFeed(pgNotifications);
  const targets = new TargetService(prisma, audit);
  const processes = new ProcessService(
    prisma,
    temporal,
    config.TEMPORAL_TASK_QUEUE,
    definitions,
    settings,
    audit,
    taskChanges,
    config.WORKFLOW_BOOKKEEPING,
  );
  return {
    config,
    prisma,
    temporal,
    pgNotifications,
    taskChanges,
    audit,
    auth: new AuthService(prisma, config, audit),
    definitions,
    settings,
    processes,
    tasks: new TaskService(prisma, temporal, settings, taskChanges, new SessionStreams(prisma, pgNotifications, config)),
    users: new UserService(prisma, audit),
    units: new UnitService(prisma, audit),
    records: new RecordService(prisma),
    customers: new CustomerService(prisma, audit, processes),
    targets,
    analytics: new AnalyticsService(prisma, targets),
    help: new HelpService(),
  };
}
