import { readPactFiles } from '../pact-file/index.js';
import { pacticipantOf } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { RepositoryFacts } from './applicability.js';
import type { GateConfig } from './gate-config.js';

/**
 * What {@link notApplicableSteps} needs from disk: whether the pacts directory holds pacts (and
 * one for the verified provider, by its service name or pacticipant name) and whether the system
 * has a load profile. An unreadable pact is not judged here: the step that reads it says so.
 */
export async function repositoryFacts(config: ResolvedConfig, gate: GateConfig, known: { hasCatalog: boolean; profile?: string | undefined }): Promise<RepositoryFacts> {
  const pacts = await readPactFiles(config.pacts.dir, { cwd: config.root }).catch(() => []);
  const provider = gate.verify.provider;
  const names = new Set([provider, pacticipantOf(config, provider)].filter((name): name is string => name !== undefined));
  const providerOf = (pact: unknown) => ((pact as { provider?: { name?: unknown } }).provider?.name as string | undefined) ?? '';
  return {
    hasCatalog: known.hasCatalog,
    // A profile given on the command line is the team's choice; else load.yaml must exist.
    hasLoadProfile: config.sections.has('load') || (known.profile !== undefined && /[./]/.test(known.profile)),
    hasPacts: pacts.length > 0,
    hasProviderPacts: pacts.some((file) => names.has(providerOf(file.pact))),
  };
}
