/**
 * The guide each role reads first (its help file's name without the number). A
 * reader with several roles gets the first of theirs that has one; roles without a
 * guide of their own (marketing, the AE, design, the project manager) start on the FAQ.
 */
const GUIDE_OF_ROLE: Record<string, string> = {
  sales_agent: 'sales-agent',
  sales_supervisor: 'sales-supervisor',
  sales_service: 'sales-service',
  general_manager: 'general-manager',
  management: 'general-manager',
  admin: 'administrator',
};

/** The page the help opens on for these roles: their guide, else the FAQ, else the first. */
export function firstHelpPage(slugs: readonly string[], roles: readonly string[]): string | undefined {
  const byName = (name: string) => slugs.find((s) => s.replace(/^\d+-/, '') === name);
  for (const role of roles) {
    const guide = GUIDE_OF_ROLE[role] && byName(GUIDE_OF_ROLE[role]);
    if (guide) return guide;
  }
  return byName('faq') ?? slugs[0];
}
