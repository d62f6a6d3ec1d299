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

/**
 * JUnit XML: one test case per interaction, a failure element listing its mismatches.
 * Written here because the report capability has no JUnit writer yet; the format is small.
 */
export function renderVerifyJunit(result: VerifyResult): string {
  const failures = result.interactions.filter((interaction) => !interaction.ok).length;
  const seconds = ((result.timings.verifyMs ?? 0) / 1000).toFixed(3);
  const cases = result.interactions.map((interaction) => {
    const name = escapeXml(interaction.providerStates.length > 0 ? `${interaction.description} (given ${interaction.providerStates.join(' and ')})` : interaction.description);
    const classname = escapeXml(`pact.${interaction.consumer ?? 'consumer'}.${result.provider}`);
    if (interaction.ok) return `    <testcase classname="${classname}" name="${name}"/>`;
    const text = interaction.mismatches.map((m) => `${m.attribute}${m.location ? ` ${m.location}` : ''}: ${m.message}`).join('\n');
    const first = interaction.mismatches[0];
    const message = first ? `${first.attribute}${first.location ? ` ${first.location}` : ''}: ${first.message}` : 'failed';
    return `    <testcase classname="${classname}" name="${name}">\n      <failure message="${escapeXml(message)}">${escapeXml(text)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="accord verify" tests="${result.interactions.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(`pact verification of ${result.provider}`)}" tests="${result.interactions.length}" failures="${failures}" errors="0" skipped="0" time="${seconds}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}
