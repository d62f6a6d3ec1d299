/** The `${pactbroker.…}` parameters the Pact Broker renders into a webhook's URL, headers and body. */
export const TEMPLATE_PARAMETERS = [
  'pactUrl',
  'verificationResultUrl',
  'consumerName',
  'providerName',
  'consumerVersionNumber',
  'consumerVersionBranch',
  'consumerVersionTags',
  'consumerLabels',
  'providerVersionNumber',
  'providerVersionBranch',
  'providerVersionTags',
  'providerLabels',
  'githubVerificationStatus',
  'bitbucketVerificationStatus',
  'azureDevOpsVerificationStatus',
  'gitlabVerificationStatus',
  'buildUrl',
  'eventName',
] as const;

const PLACEHOLDER = /\$\{pactbroker\.([A-Za-z]+)\}/g;

/** Replaces each known `${pactbroker.name}` in `text` (unknown names stay as written, as in the Pact Broker). */
export function renderTemplate(text: string, params: Readonly<Record<string, string>>, escape: (value: string) => string = (value) => value): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(params, name) ? escape(params[name] ?? '') : whole));
}

/** The body rendered: strings anywhere in a JSON body get the values, as text; other bodies become their text. */
export function renderBody(body: unknown, params: Readonly<Record<string, string>>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return renderTemplate(body, params);
  return JSON.stringify(body, (_key, value: unknown) => (typeof value === 'string' ? renderTemplate(value, params) : value));
}

/** The verification status words each CI host's commit-status API expects (pending when there is no result). */
export function verificationStatuses(success: boolean | undefined): Record<string, string> {
  const pick = (yes: string, no: string, pending: string) => (success === undefined ? pending : success ? yes : no);
  return {
    githubVerificationStatus: pick('success', 'failure', 'pending'),
    bitbucketVerificationStatus: pick('SUCCESSFUL', 'FAILED', 'INPROGRESS'),
    azureDevOpsVerificationStatus: pick('succeeded', 'failed', 'pending'),
    gitlabVerificationStatus: pick('success', 'failed', 'pending'),
  };
}
