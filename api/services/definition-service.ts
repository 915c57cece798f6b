import type { PrismaClient, Prisma } from '../../db/client';
import { BUILT_IN_STEP_ACTIVITY_NAMES } from '../../activities/registry';
import {
  BUILT_IN_DEFINITIONS,
  definitionChecksum,
  InvalidDefinitionError,
  validateDefinition,
  startPolicyOf,
  walkSteps,
  type DefinitionValidation,
  type ProcessDefinition,
} from '../../definitions';
import { Conflict, InvalidInput } from './errors';
import type { AuditService } from './audit-service';
import type { Principal } from './auth-service';

/**
 * Process definitions: the built-ins and those published through the API, stored
 * in Postgres. A published (key, version) is immutable; built-ins are written at
 * start-up and a built-in whose text changed without a new version is refused.
 */
export class DefinitionService {
  // Rows never change once written, so a cache by key@version never goes stale.
  private readonly cache = new Map<string, ProcessDefinition>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    private readonly activities: readonly string[] = BUILT_IN_STEP_ACTIVITY_NAMES,
  ) {}

  /** Validates and stores the built-in definitions that are not stored yet. */
  async syncBuiltIns(definitions: readonly ProcessDefinition[] = BUILT_IN_DEFINITIONS): Promise<void> {
    for (const definition of definitions) {
      const result = await this.validate(definition, definitions);
      if (!result.ok) throw new InvalidDefinitionError(definition.key, result.problems);
      const checksum = definitionChecksum(result.definition);
      await this.prisma.publishedDefinition.createMany({
        data: [
          {
            key: definition.key,
            version: definition.version,
            title: definition.title,
            definition: result.definition as unknown as Prisma.InputJsonValue,
            checksum,
            source: 'built-in',
          },
        ],
        skipDuplicates: true,
      });
      const stored = await this.prisma.publishedDefinition.findUniqueOrThrow({
        where: { key_version: { key: definition.key, version: definition.version } },
      });
      if (stored.checksum !== checksum) {
        throw new InvalidDefinitionError(definition.key, [
          {
            path: 'version',
            message: `version ${definition.version} is already published with other content: give the change a new version`,
          },
        ]);
      }
    }
  }

  /** Checks a candidate against the known roles, activities and definitions. */
  async validate(candidate: unknown, alsoKnown: readonly ProcessDefinition[] = []): Promise<DefinitionValidation> {
    const [roles, stored] = await Promise.all([
      this.prisma.role.findMany({ select: { name: true } }),
      this.prisma.publishedDefinition.findMany({ select: { key: true, version: true, definition: true } }),
    ]);
    const all = [...stored.map((s) => s.definition as unknown as ProcessDefinition), ...alsoKnown];
    return validateDefinition(candidate, {
      roles: roles.map((r) => r.name),
      activities: this.activities,
      findDefinition: (key, version) => latestOf(all.filter((d) => d.key === key && (version === undefined || d.version === version))),
    });
  }

  /** Publishes a definition. Re-publishing the same content is a no-op; other content under a published version is a conflict. */
  async publish(principal: Principal, candidate: unknown): Promise<{ key: string; version: number; created: boolean }> {
    const result = await this.validate(candidate);
    if (!result.ok) {
      throw new InvalidInput(
        `The definition has ${result.problems.length} problem(s)`,
        result.problems.map((p) => ({ field: p.path, reason: p.message })),
      );
    }
    const { definition } = result;
    const checksum = definitionChecksum(definition);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.publishedDefinition.findUnique({
        where: { key_version: { key: definition.key, version: definition.version } },
      });
      if (existing) {
        if (existing.checksum === checksum) return { key: definition.key, version: definition.version, created: false };
        throw new Conflict(`${definition.key}@${definition.version} is already published with other content; publish a new version`);
      }
      await tx.publishedDefinition.create({
        data: {
          key: definition.key,
          version: definition.version,
          title: definition.title,
          definition: definition as unknown as Prisma.InputJsonValue,
          checksum,
          source: 'api',
          publishedById: principal.userId,
        },
      });
      await this.audit.append(tx, {
        actor: principal,
        action: 'definition.publish',
        objectType: 'definition',
        objectId: `${definition.key}@${definition.version}`,
        after: { checksum },
      });
      return { key: definition.key, version: definition.version, created: true };
    });
  }

  /** The definition of `key` at `version`, or its latest version. */
  async find(key: string, version?: number): Promise<ProcessDefinition | undefined> {
    if (version !== undefined) {
      const cached = this.cache.get(`${key}@${version}`);
      if (cached) return cached;
    }
    const row = await this.prisma.publishedDefinition.findFirst({
      where: { key, ...(version !== undefined ? { version } : {}) },
      orderBy: { version: 'desc' },
    });
    if (!row) return undefined;
    const definition = row.definition as unknown as ProcessDefinition;
    this.cache.set(`${key}@${row.version}`, definition);
    return definition;
  }

  /** Every key with its versions. */
  async list() {
    const rows = await this.prisma.publishedDefinition.findMany({
      select: { key: true, version: true, title: true, source: true, publishedAt: true },
      orderBy: [{ key: 'asc' }, { version: 'asc' }],
    });
    const byKey = new Map<string, typeof rows>();
    for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    return [...byKey.entries()].map(([key, versions]) => ({
      key,
      title: versions[versions.length - 1]!.title,
      latestVersion: versions[versions.length - 1]!.version,
      /** `api`: a start page offers it; `route`/`parent`: its own route or its parent process starts it. */
      startedBy: startPolicyOf(key),
      versions: versions.map((v) => ({ version: v.version, source: v.source, publishedAt: v.publishedAt })),
    }));
  }

  /**
   * Resolves every sub-process a definition may start, transitively, as the
   * `key@version` / `key@latest` references its steps use. They go into the
   * workflow input, so a running tree keeps the versions it started with.
   */
  async resolveSubDefinitions(definition: ProcessDefinition): Promise<Record<string, ProcessDefinition>> {
    const resolved: Record<string, ProcessDefinition> = {};
    const pending = [definition];
    while (pending.length) {
      const current = pending.pop()!;
      for (const { step } of walkSteps(current.root)) {
        if (step.kind !== 'subprocess') continue;
        const ref = `${step.definition}@${step.version ?? 'latest'}`;
        if (resolved[ref]) continue;
        const child = await this.find(step.definition, step.version);
        if (!child)
          throw new InvalidInput(`Sub-process definition ${ref} is not published`, [{ field: 'definition', reason: `needs ${ref}` }]);
        resolved[ref] = child;
        pending.push(child);
      }
    }
    return resolved;
  }
}

function latestOf(definitions: ProcessDefinition[]): ProcessDefinition | undefined {
  return definitions.reduce<ProcessDefinition | undefined>((best, d) => (!best || d.version > best.version ? d : best), undefined);
}
