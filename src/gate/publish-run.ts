import { resolve } from 'node:path';
import { loadConfig, pacticipantOf, registerSecret } from '../config/index.js';
// The client's files, not the broker barrel, which also loads the broker server (fastify, pg).
import { createBrokerClient, gitVersion, publishGateRun } from '../broker/client/index.js';
import type { BrokerClient } from '../broker/client/index.js';
import { EVIDENCE_STEPS } from '../broker/evidence/steps.js';
import { AccordError, ErrorCodes, isAccordError } from '../errors/index.js';
import { readPactFiles } from '../pact-file/index.js';
import type { AcceptanceReport, GateStep } from '../report/model.js';
import { loadGateConfig } from './gate-config.js';

/** Where and as what a gate run is published (`accord gate --publish`). */
export interface PublishTarget {
  readonly client: BrokerClient;
  readonly version: string;
  readonly branch: string | undefined;
}

/** What {@link preparePublish} is given: the CLI's options. */
export interface PublishOptions {
  readonly publish: boolean;
  readonly brokerUrl?: string | undefined;
  readonly brokerToken?: string | undefined;
  readonly version?: string | undefined;
  readonly branch?: string | undefined;
  /** @default process.cwd() */
  readonly root?: string;
}

/**
 * Checks the publish options before the gate starts (bad input is exit 2, not a failed run after
 * minutes): a broker URL, a version (given or from git), and a broker that answers its index with
 * this token. Undefined when the run is not published.
 */
export async function preparePublish(options: PublishOptions): Promise<PublishTarget | undefined> {
  if (!options.publish) {
    const given = options.version !== undefined ? '--version' : options.branch !== undefined ? '--branch' : undefined;
    if (given) throw new AccordError(ErrorCodes.USAGE, `${given} is only used with --publish`);
    return undefined;
  }
  if (!options.brokerUrl) throw new AccordError(ErrorCodes.USAGE, '--publish needs a broker: pass --broker-url URL or set PACT_BROKER_BASE_URL');
  registerSecret(options.brokerToken);
  const client = createBrokerClient({ baseUrl: options.brokerUrl, token: options.brokerToken });
  const cwd = options.root ?? process.cwd();
  // Without --version git must answer; a given version only borrows git's branch when there is one.
  const fromGit = options.version === undefined ? await gitVersion(cwd) : options.branch === undefined ? await gitVersion(cwd).catch(() => undefined) : undefined;
  const version = options.version ?? (fromGit?.version as string);
  // A cheap authenticated read: an unreachable broker or a refused token is known before any step runs.
  await client.get('/');
  return { client, version, branch: options.branch ?? fromGit?.branch };
}

/**
 * Publishes the finished run (passed or failed: a failed run's evidence is what makes can-i-deploy
 * say no) and answers the `publish` step shown last in the report. A broker failure is a failed
 * step with the broker's detail, not a crash.
 */
export async function publishRun(target: PublishTarget, report: AcceptanceReport, options: { configDir: string; root?: string }): Promise<GateStep> {
  const root = resolve(options.root ?? process.cwd());
  const started = performance.now();
  const config = await loadConfig(options.configDir, { root });
  const gate = await loadGateConfig(config);
  // A skipped step says nothing, so it publishes nothing; teardown is not evidence about a version.
  const steps = report.steps.filter((step) => step.status !== 'skip' && EVIDENCE_STEPS.includes(step.id));
  const base = { id: 'publish', title: `Publish to ${target.client.baseUrl}`, evidence: [{ label: 'broker', href: target.client.baseUrl }] };
  // The pacts are this repository's only when its consumer tests wrote them this run; a provider
  // repository's pacts directory holds its consumers' pacts, which are theirs to publish.
  const consumerSide = report.steps.some((step) => step.id === 'consumer-tests' && step.status !== 'skip');
  const provider = pacticipantOf(config, gate.verify.provider);
  const providerSide = provider !== undefined && config.contracts.path !== undefined;
  try {
    const result = await publishGateRun({
      client: target.client,
      version: target.version,
      branch: target.branch,
      steps,
      pacts: consumerSide ? [resolve(root, config.pacts.dir)] : [],
      providerContract: providerSide ? { provider, file: resolve(root, config.contracts.path as string) } : undefined,
      // Evidence goes to this repository's pacticipants only: not to a provider it merely consumes.
      ...(consumerSide && providerSide ? {} : { pacticipants: consumerSide ? await consumersOf(resolve(root, config.pacts.dir)) : provider === undefined ? [] : [provider] }),
    });
    const published = {
      pacts: result.pacts.published.map((pact) => `${pact.consumer} → ${pact.provider}`),
      verifications: result.verifications.length,
      providerContract: result.providerContract ? provider : undefined,
      evidence: steps.map((step) => step.id),
      pacticipants: result.evidence.map((entry) => entry.pacticipant),
    };
    const message = `${target.client.baseUrl}, version ${target.version}${target.branch ? ` (branch ${target.branch})` : ''}: ${published.pacts.length} pacts, ${published.verifications} verification results, ${published.providerContract ? 'the provider contract, ' : ''}evidence of ${steps.length} steps for ${published.pacticipants.join(', ')}`;
    return { ...base, status: 'pass', durationMs: Math.round(performance.now() - started), checks: [{ id: 'published', name: 'run published to the broker', status: 'pass', message }], details: { brokerUrl: target.client.baseUrl, version: target.version, branch: target.branch, published } };
  } catch (error) {
    if (!isAccordError(error)) throw error;
    return { ...base, status: 'fail', durationMs: Math.round(performance.now() - started), checks: [{ id: 'published', name: 'run published to the broker', status: 'fail', message: error.message }], details: { brokerUrl: target.client.baseUrl, version: target.version, branch: target.branch } };
  }
}

/** The consumers the pacts in `dir` are from (a consumer-only repository's pacticipants). */
async function consumersOf(dir: string): Promise<string[]> {
  const pacts = await readPactFiles(dir);
  return [...new Set(pacts.map((file) => file.pact.consumer.name))];
}
