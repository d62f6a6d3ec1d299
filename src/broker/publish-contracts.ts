import type { Db } from './db.js';
import { withTransaction } from './db.js';
import { MAX_NESTING_DEPTH, jsonSyntaxError, shown, textNestingDepth } from '../input/index.js';
import { pactProblems } from '../pact-file/index.js';
import type { PactDocument } from './pact-content.js';
import { BrokerProblem, badRequest } from './problem.js';
import { ensurePacticipant } from './store/pacticipants.js';
import type { Pacticipant } from './store/pacticipants.js';
import { publishPact } from './store/pacts.js';
import type { PactVersion } from './store/pacts.js';
import { addBranchVersion, addTag, ensureVersion } from './store/versions.js';
import type { Version } from './store/versions.js';

/** One contract of a `POST /contracts/publish` body. */
export interface ContractInput {
  consumerName: string;
  providerName: string;
  specification: string;
  contentType: string;
  /** Base64 of the pact JSON. */
  content: string;
  onConflict?: 'overwrite' | 'merge';
}

/** The `POST /contracts/publish` body. */
export interface PublishContractsInput {
  pacticipantName: string;
  pacticipantVersionNumber: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  contracts: ContractInput[];
}

/** What was stored, for the HAL response and the notices. */
export interface PublishContractsResult {
  pacticipant: Pacticipant;
  version: Version;
  versionCreated: boolean;
  tags: string[];
  branch: string | undefined;
  pacts: Array<{ provider: Pacticipant; pactVersion: PactVersion; republished: boolean }>;
  notices: Array<{ type: 'success' | 'info' | 'warning' | 'debug'; text: string }>;
}

/** Decodes and checks every contract first, so a bad one rejects the whole request before anything is written. */
function decodeContracts(input: PublishContractsInput): Array<{ contract: ContractInput; pact: PactDocument }> {
  const errors: Record<string, string[]> = {};
  const decoded: Array<{ contract: ContractInput; pact: PactDocument }> = [];
  input.contracts.forEach((contract, index) => {
    const at = `contracts.${index}`;
    const problems: string[] = [];
    if (contract.specification.toLowerCase() !== 'pact') problems.push(`specification: expected "pact", got ${JSON.stringify(contract.specification)}`);
    if (contract.consumerName !== input.pacticipantName) problems.push(`consumerName: must match pacticipantName ${JSON.stringify(input.pacticipantName)}, got ${JSON.stringify(contract.consumerName)}`);
    let pact: unknown;
    const text = Buffer.from(contract.content, 'base64').toString('utf8');
    if (textNestingDepth(text) > MAX_NESTING_DEPTH) problems.push(`content: the pact nests objects and arrays more than ${MAX_NESTING_DEPTH} deep`);
    else if (text.includes('\u0000') || /\\u0000/.test(text)) problems.push('content: the pact holds a NUL character (\\u0000)');
    else {
      try {
        pact = JSON.parse(text);
      } catch (error) {
        problems.push(`content: expected base64-encoded pact JSON, could not parse it (${jsonSyntaxError(text, error as Error)})`);
      }
    }
    if (pact !== undefined) {
      const notAPact = pactProblems(pact);
      problems.push(...notAPact.map((problem) => `content: not a pact: ${problem}`));
      if (notAPact.length === 0) {
        const doc = pact as PactDocument;
        // Names from the pact are shown printable and cut: a 10 kB one is not echoed whole.
        if (doc.consumer.name !== contract.consumerName) problems.push(`content: consumer name "${shown(doc.consumer.name)}" does not match consumerName "${shown(contract.consumerName)}"`);
        if (doc.provider.name !== contract.providerName) problems.push(`content: provider name "${shown(doc.provider.name)}" does not match providerName "${shown(contract.providerName)}"`);
        if (problems.length === 0) decoded.push({ contract, pact: doc });
      }
    }
    if (problems.length > 0) errors[at] = problems;
  });
  if (Object.keys(errors).length > 0) throw badRequest(Object.entries(errors).map(([at, list]) => `${at}: ${list.join(', ')}`).join('; '), errors);
  return decoded;
}

/** Publishes a consumer version's pacts in ONE transaction: a 409 or a bad contract writes nothing. */
export async function publishContracts(db: Db, input: PublishContractsInput): Promise<PublishContractsResult> {
  const decoded = decodeContracts(input);
  return withTransaction(db, async (tx) => {
    const pacticipant = await ensurePacticipant(tx, input.pacticipantName);
    const { version, created } = await ensureVersion(tx, pacticipant.id, input.pacticipantVersionNumber, input.buildUrl);
    if (input.branch) await addBranchVersion(tx, pacticipant.id, version.id, input.branch, pacticipant.mainBranch);
    for (const tag of input.tags ?? []) await addTag(tx, pacticipant.id, version.id, tag);
    const notices: PublishContractsResult['notices'] = [];
    const what = [input.branch ? `branch ${input.branch}` : undefined, input.tags && input.tags.length > 0 ? `tags ${input.tags.join(', ')}` : undefined].filter(Boolean).join(' and ');
    notices.push({ type: 'success', text: `${created ? 'Created' : 'Updated'} ${pacticipant.name} version ${version.number}${what ? ` with ${what}` : ''}` });
    const pacts: PublishContractsResult['pacts'] = [];
    for (const { contract, pact } of decoded) {
      const provider = await ensurePacticipant(tx, contract.providerName);
      const outcome = await publishPact(tx, { consumerId: pacticipant.id, consumerVersionId: version.id, providerId: provider.id, content: pact, merge: contract.onConflict === 'merge', versionLocked: true });
      if (outcome.kind === 'conflict') {
        const text = `Cannot change the content of the pact for ${pacticipant.name} version ${version.number} and provider ${provider.name}, as race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version number.`;
        throw new BrokerProblem(409, 'Conflict', text, { content: [text] }, [
          { type: 'error', text },
          { type: 'info', text: `The existing pact has sha ${outcome.existingSha}; the new content differs. Publish it with a new consumer version number (e.g. the git sha).` },
        ]);
      }
      const republished = outcome.previousSha === outcome.pactVersion.sha;
      pacts.push({ provider, pactVersion: outcome.pactVersion, republished });
      notices.push({
        type: 'success',
        text: republished
          ? `Pact with identical content already published for ${pacticipant.name} version ${version.number} and provider ${provider.name}`
          : `Pact published for ${pacticipant.name} version ${version.number} and provider ${provider.name}.${outcome.newContent ? '' : ' The content is identical to an earlier version, so it is already verified wherever that was.'}`,
      });
    }
    return { pacticipant, version, versionCreated: created, tags: input.tags ?? [], branch: input.branch, pacts, notices };
  });
}
