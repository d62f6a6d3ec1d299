import { renderJunit } from '../report/index.js';
import type { JunitCase } from '../report/index.js';
import type { VerifyResult } from './verify-result.js';

/** A readable report: one line per interaction, each mismatch under it, a summary line. */
export function renderVerifyText(result: VerifyResult): string {
  const lines: string[] = [];
  for (const interaction of result.interactions) {
    const given = interaction.providerStates.length > 0 ? ` (given ${interaction.providerStates.map((state) => `"${state}"`).join(' and ')})` : '';
    const other = interaction.provider !== undefined && interaction.provider !== result.provider ? `[${interaction.provider}] ` : '';
    lines.push(`${interaction.ok ? 'PASS' : 'FAIL'}  ${other}${interaction.description}${given}`);
    for (const mismatch of interaction.mismatches) {
      const where = mismatch.location === '' ? mismatch.attribute : `${mismatch.attribute} ${mismatch.location}`;
      lines.push(`        ${where}: ${mismatch.message}`);
    }
  }
  const failed = result.interactions.filter((interaction) => !interaction.ok).length;
  const total = result.interactions.length;
  // A run that verified a message provider beside the HTTP one names both.
  const providers = [...new Set([result.provider, ...result.interactions.map((interaction) => interaction.provider ?? result.provider)])];
  const who = providers.join(' and ');
  lines.push('');
  lines.push(
    result.ok
      ? `verify: ${who} ${providers.length > 1 ? 'honour' : 'honours'} all ${total} interaction(s), and every ${providers.length > 1 ? 'response and message' : 'response'} conforms to the contract`
      : `verify: ${failed} of ${total} interaction(s) failed for ${who}${total === 0 ? ' (no interactions were verified)' : ''}`,
  );
  if (result.published) {
    const branch = result.published.branch ? ` on branch ${result.published.branch}` : '';
    lines.push(`verify: results published to ${result.published.brokerUrl} as ${result.provider} ${result.published.providerVersion}${branch}`);
  }
  return `${lines.join('\n')}\n`;
}

/** JUnit XML: one test case per interaction, a failure element listing its mismatches. */
export function renderVerifyJunit(result: VerifyResult): string {
  const durationMs = result.timings.verifyMs ?? 0;
  const cases = result.interactions.map((interaction): JunitCase => {
    const name = interaction.providerStates.length > 0 ? `${interaction.description} (given ${interaction.providerStates.join(' and ')})` : interaction.description;
    const classname = `pact.${interaction.consumer ?? 'consumer'}.${result.provider}`;
    if (interaction.ok) return { classname, name };
    const lines = interaction.mismatches.map((m) => `${m.attribute}${m.location ? ` ${m.location}` : ''}: ${m.message}`);
    return { classname, name, failure: { message: lines[0] ?? 'failed', text: lines.join('\n') } };
  });
  return renderJunit({ name: 'accord verify', durationMs, suites: [{ name: `pact verification of ${result.provider}`, durationMs, cases }] });
}
