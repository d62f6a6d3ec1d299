/** A consumer version selector of `POST /pacts/provider/{p}/for-verification`. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
  consumer?: string;
}

/** The body of a pacts-for-verification request. */
export interface PactsForVerificationRequest {
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  consumerVersionSelectors?: ConsumerVersionSelector[];
  includePendingStatus?: boolean;
  includeWipPactsSince?: string;
}

/** Every rule of the broker's `consumer_version_selector_contract.rb` a request breaks, as `path: message`. */
export function selectorProblems(request: PactsForVerificationRequest): string[] {
  const problems: string[] = [];
  (request.consumerVersionSelectors ?? []).forEach((selector, index) => {
    const at = `consumerVersionSelectors[${index}]`;
    const keys = Object.keys(selector).filter((key) => (selector as Record<string, unknown>)[key] !== undefined && (selector as Record<string, unknown>)[key] !== false);
    if (keys.length === 0 || (keys.length === 1 && keys[0] === 'consumer')) problems.push(`${at}: must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true`);
    if (selector.mainBranch && keys.some((key) => key !== 'mainBranch' && key !== 'consumer')) problems.push(`${at}: cannot specify mainBranch=true with any other criteria apart from consumer`);
    if (selector.matchingBranch && keys.some((key) => key !== 'matchingBranch' && key !== 'consumer')) problems.push(`${at}: cannot specify matchingBranch=true with any other criteria apart from consumer`);
    if (selector.matchingBranch && !request.providerVersionBranch) problems.push(`${at}: the providerVersionBranch must be specified when the selector matchingBranch=true is used`);
    if (selector.tag && selector.branch) problems.push(`${at}: cannot specify both a tag and a branch`);
    if (selector.fallbackTag && !selector.tag) problems.push(`${at}: a fallbackTag can only be set if a tag is set`);
    if (selector.fallbackBranch && !selector.branch) problems.push(`${at}: a fallbackBranch can only be set if a branch is set`);
    if ([selector.deployed, selector.released, selector.deployedOrReleased].filter(Boolean).length > 1) problems.push(`${at}: cannot specify more than one of deployed, released and deployedOrReleased`);
    if (selector.latest === false && selector.branch) problems.push(`${at}: cannot specify a branch with latest=false`);
  });
  const pendingOrWip = request.includePendingStatus !== false || request.includeWipPactsSince !== undefined;
  if (pendingOrWip && request.providerVersionBranch !== undefined && request.providerVersionBranch.trim() === '' && (request.providerVersionTags ?? []).length === 0) {
    problems.push('providerVersionBranch: cannot be blank when pending or WIP pacts are enabled');
  }
  if (request.includeWipPactsSince !== undefined && Number.isNaN(Date.parse(request.includeWipPactsSince))) {
    problems.push(`includeWipPactsSince: expected a date (e.g. 2026-01-01), got ${JSON.stringify(request.includeWipPactsSince)}`);
  }
  return problems;
}

/** How the broker describes what a selector picked (`shortDescription`). */
export function describeVerificationSelector(selector: ConsumerVersionSelector, context: { providerVersionBranch?: string | undefined; environment?: string | undefined; fallback?: boolean }): string {
  const of = selector.consumer ? ` of ${selector.consumer}` : '';
  if (selector.mainBranch) return `latest${of} from main branch`;
  if (selector.matchingBranch) return `latest${of} from matching branch ${context.providerVersionBranch ?? ''}`.trimEnd();
  if (selector.branch) return context.fallback ? `latest${of} from fallback branch ${selector.fallbackBranch}` : `latest${of} from branch ${selector.branch}`;
  if (selector.tag) {
    const tag = context.fallback ? selector.fallbackTag : selector.tag;
    return selector.latest ? `latest${of} with tag ${tag}` : `one${of} of ${tag}`;
  }
  const where = context.environment ? ` in ${context.environment}` : '';
  if (selector.deployed) return `currently deployed${of}${where}`.trim();
  if (selector.released) return `currently released${of}${where}`.trim();
  if (selector.deployedOrReleased || selector.environment) return `currently deployed or released${of}${where}`.trim();
  return `latest${of}`;
}
