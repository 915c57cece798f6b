import type { DeadlinePolicy, HumanTaskStep } from '../../types';
import { agentPolicy, gmPolicy, managementPolicy, monitoredPolicy, teamLeadPolicy } from './policies';

/** Who owes a step decides how its deadline climbs the chain (see `policies.ts`). */
const POLICY_BY_ROLE: Readonly<Record<string, DeadlinePolicy>> = {
  sales_agent: agentPolicy,
  sales_ae: agentPolicy,
  sales_service: agentPolicy,
  sales_supervisor: teamLeadPolicy,
  marketing: teamLeadPolicy,
  design_consultant: teamLeadPolicy,
  general_manager: gmPolicy,
  management: managementPolicy,
  project_manager: monitoredPolicy,
};

/**
 * A human step of the sales procedure. Its deadline policy is the one of the role
 * that owes it unless given: the same data as the literal, without repeating the
 * kind and the policy on every step.
 */
export function task(spec: Omit<HumanTaskStep, 'kind'>): HumanTaskStep {
  const deadline = spec.deadline ?? POLICY_BY_ROLE[spec.role];
  return { kind: 'task', ...spec, ...(deadline ? { deadline } : {}) };
}
