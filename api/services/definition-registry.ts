import { BUILT_IN_DEFINITIONS, InvalidDefinitionError, validateDefinition, type ProcessDefinition } from '../../definitions';
import { ROLE_NAMES } from '../permissions';

/**
 * The definitions the engine can start, by key and version. Built-ins are
 * validated once, at construction, with the same checks a published one gets.
 */
export class DefinitionRegistry {
  private readonly byKey = new Map<string, ProcessDefinition[]>();

  constructor(definitions: readonly ProcessDefinition[] = BUILT_IN_DEFINITIONS) {
    for (const candidate of definitions) {
      const result = validateDefinition(candidate, ROLE_NAMES);
      if (!result.ok) throw new InvalidDefinitionError(candidate.key, result.problems);
      const versions = this.byKey.get(candidate.key) ?? [];
      if (versions.some((d) => d.version === candidate.version)) {
        throw new InvalidDefinitionError(candidate.key, [{ path: 'version', message: `version ${candidate.version} is defined twice` }]);
      }
      versions.push(result.definition);
      versions.sort((a, b) => a.version - b.version);
      this.byKey.set(candidate.key, versions);
    }
  }

  /** The definition of `key` at `version`, or its latest version. */
  find(key: string, version?: number): ProcessDefinition | undefined {
    const versions = this.byKey.get(key);
    if (!versions) return undefined;
    return version === undefined ? versions[versions.length - 1] : versions.find((d) => d.version === version);
  }

  /** Every key with its versions. */
  list(): { key: string; title: string; latestVersion: number; versions: number[] }[] {
    return [...this.byKey.entries()].map(([key, versions]) => ({
      key,
      title: versions[versions.length - 1]!.title,
      latestVersion: versions[versions.length - 1]!.version,
      versions: versions.map((d) => d.version),
    }));
  }
}
