import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { AcceptanceReport } from '../report/model.js';
import { runCanIDeployStep } from './can-i-deploy-step.js';
import { buildChecklist } from './checklist.js';
import { loadGateConfig } from './gate-config.js';
import { publishRun } from './publish-run.js';
import type { PublishTarget } from './publish-run.js';
import type { GateResult } from './run-gate.js';

/**
 * `accord gate --publish` after the steps: publishes the run, then (when gate.yaml has a
 * `canIDeploy:` block, or the repository has no contract of its own, as in a consumer-only one)
 * asks the broker whether what was published can be deployed. Both steps join the report, the
 * checklist is rebuilt with them, and a failure of either fails the run: what is printed, exited
 * with and published agree.
 */
export async function publishAndAsk(target: PublishTarget, result: GateResult, options: { configDir: string; root?: string }): Promise<AcceptanceReport> {
  const { report } = result;
  const publishStep = await publishRun(target, report, options);
  const steps = [...report.steps, publishStep];
  const config = await loadConfig(options.configDir, { root: resolve(options.root ?? process.cwd()) });
  const gate = await loadGateConfig(config);
  const published = (publishStep.details?.published as { pacticipants?: string[] } | undefined)?.pacticipants ?? [];
  if (publishStep.status !== 'fail' && (gate.canIDeploy !== undefined || config.contracts.path === undefined)) {
    steps.push(await runCanIDeployStep(target, published, { toEnvironment: gate.canIDeploy?.toEnvironment }));
  }
  const ok = report.ok && steps.every((step) => step.status !== 'fail');
  return { ...report, ok, steps, checklist: buildChecklist({ steps, scenarios: result.scenarios }) };
}
