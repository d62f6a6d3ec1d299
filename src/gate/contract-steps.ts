import { join, relative } from 'node:path';
import { contractPathOf, pacticipantOf } from '../config/index.js';
import { checkPacts, diffContracts, lintContract, loadContract, toCheckPactsStep, toDiffStep, toLintStep } from '../contract/index.js';
import type { GateStep } from '../report/model.js';
import { contractUsage, diffWithConsumers, loadConsumerPacts, parseConsumerSource, writeUsagePage } from '../usage/index.js';
import type { GateContext } from './context.js';

/** `contract-lint`: the configured OpenAPI contract. */
export async function runContractLint(ctx: GateContext): Promise<GateStep> {
  return toLintStep(await lintContract(shown(ctx, contractOf(ctx)), { cwd: ctx.root, allowRefHosts: ctx.config.contracts.refs.allowHosts }));
}

/** `contract-diff`: the working contract against the baseline, judged by the configured policy. */
export async function runContractDiff(ctx: GateContext): Promise<GateStep> {
  const contract = shown(ctx, contractOf(ctx));
  const options = { policy: ctx.config.contracts.policy, cwd: ctx.root, defaultPath: contract, allowRefHosts: ctx.config.contracts.refs.allowHosts };
  const { consumers } = ctx.config.contracts;
  if (consumers === undefined) return toDiffStep(await diffContracts(ctx.baseline, contract, options), { base: ctx.baseline, revision: contract });
  // contracts.yaml names the consumers: they judge the changes, and who reads what joins the report.
  const provider = pacticipantOf(ctx.config, ctx.config.pacts.verify.provider);
  const judged = { ...options, consumers, ...(provider === undefined ? {} : { provider }), broker: { baseUrl: ctx.broker.url, token: ctx.broker.token } };
  // The working contract and the pacts are read once, for the diff and the usage page both.
  const source = parseConsumerSource(consumers);
  const [revision, pacts] = await Promise.all([
    loadContract(contract, { allowAsyncApi: true, cwd: ctx.root, allowRefHosts: options.allowRefHosts }),
    loadConsumerPacts(source, judged),
  ]);
  const step = toDiffStep(await diffWithConsumers(ctx.baseline, revision, { ...judged, pacts }), { base: ctx.baseline, revision: contract });
  const page = join(ctx.reportDir, 'contract-usage.html');
  await writeUsagePage(page, await contractUsage(revision, { ...judged, pacts }));
  return { ...step, evidence: [...step.evidence, { label: 'contract usage', href: shown(ctx, page) }] };
}

/** `pacts-vs-contract`: every pact interaction against the contract. */
export async function runPactsVsContract(ctx: GateContext): Promise<GateStep> {
  const pacts = shown(ctx, ctx.config.pacts.dir);
  const contract = shown(ctx, contractOf(ctx));
  return toCheckPactsStep(await checkPacts({ pacts, contract, cwd: ctx.root, allowRefHosts: ctx.config.contracts.refs.allowHosts }), { pacts, contract });
}

/** The configured contract (runGate checked before any step that it is set). */
export function contractOf(ctx: Pick<GateContext, 'config'>): string {
  return contractPathOf(ctx.config, 'the OpenAPI contract the gate lints, diffs and checks the pacts against');
}

/** A path as the reports show it: relative to the repository root. */
export function shown(ctx: Pick<GateContext, 'root'>, file: string): string {
  return relative(ctx.root, file) || file;
}
