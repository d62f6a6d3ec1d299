import type { ResolvedSelector } from './types.js';

/** The broker's wording of a resolved selector in reasons (`ResolvedSelector#description`). */
export function describeSelector(resolved: ResolvedSelector): string {
  const { selector, pacticipantName: name, versionNumber: number } = resolved;
  if (selector.latest && selector.tag) {
    return number ? `the latest version of ${name} with tag ${selector.tag} (${number})` : `the latest version of ${name} with tag ${selector.tag} (no such version exists)`;
  }
  if (selector.mainBranch) {
    return number ? `the latest version of ${name} from the main branch (${number})` : `a version of ${name} from the main branch (no such version exists)`;
  }
  if (selector.branch) {
    if (selector.latest || resolved.type === 'specified') {
      return number ? `the latest version of ${name} from branch ${selector.branch} (${number})` : `the latest version of ${name} from branch ${selector.branch} (no such version exists)`;
    }
    return number ? `a version of ${name} from branch ${selector.branch} (${number})` : `a version of ${name} from branch ${selector.branch} (no such version exists)`;
  }
  if (selector.latest) return number ? `the latest version of ${name} (${number})` : `the latest version of ${name} (no such version exists)`;
  if (selector.tag) return number ? `a version of ${name} with tag ${selector.tag} (${number})` : `a version of ${name} with tag ${selector.tag} (no such version exists)`;
  if (selector.environment) {
    if (number) return `version ${number} of ${name} (currently ${resolved.deployed === false ? 'released' : 'deployed'} in ${selector.environment})`;
    return `a version of ${name} currently in ${selector.environment} (no version is currently recorded as deployed/released in this environment)`;
  }
  if (selector.version) return resolved.versionDoesNotExist ? `version ${selector.version} of ${name} (no such version exists)` : `version ${selector.version} of ${name}`;
  if (number) return `version ${number} of ${name}`;
  return `any version of ${name}`;
}

/** "No pacts or verifications have been published for version X of Foo" and its siblings. */
export function describeMissingVersion(resolved: ResolvedSelector): string {
  const { selector, pacticipantName: name } = resolved;
  if (resolved.pacticipantId === undefined) return `The pacticipant ${name} does not exist`;
  if (selector.tag) return `No version with tag ${selector.tag} exists for ${name}`;
  if (selector.branch) return `No version of ${name} from branch ${selector.branch} exists`;
  if (selector.mainBranch) return `No version of ${name} from the main branch exists`;
  if (selector.environment) return `No version of ${name} is currently recorded as deployed/released in ${selector.environment}`;
  if (selector.version) return `No pacts or verifications have been published for version ${selector.version} of ${name}`;
  return `No pacts or verifications have been published for ${name}`;
}
