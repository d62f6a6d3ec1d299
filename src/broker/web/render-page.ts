import { renderExecutionsSection } from '../webhooks/render-executions.js';
import type { WebhookExecution } from '../webhooks/webhook-store.js';
import type { EvidenceDecision } from '../evidence/weigh-evidence.js';
import type { MatrixDecision } from '../matrix/types.js';
import { escapeHtml as e, htmlDocument } from './html.js';
import type { PageData } from './page-data.js';

/** A can-i-deploy asked from the page's form, and its answer (or why it could not be asked). */
export interface PageQuestion {
  pacticipant: string;
  version: string;
  environment: string;
  require: string;
  answer?: { decision: MatrixDecision; evidence: EvidenceDecision | undefined };
  error?: string;
}

const when = (date: Date | null) => (date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
const verdict = (success: boolean | null) => (success === null ? '<td class="unknown">unverified</td>' : success ? '<td class="pass">success</td>' : '<td class="fail">failed</td>');

function pacticipantsSection(data: PageData): string {
  const rows = data.pacticipants.map(
    (p) => `<tr><td><strong>${e(p.name)}</strong></td><td>${e(p.latestVersion ?? '—')}<br><span class="muted">${e(when(p.latestAt))}</span></td>
<td>${p.branches.map((b) => `${e(b.branch)}${b.branch === p.mainBranch ? ' (main)' : ''}: ${e(b.version)}`).join('<br>') || '—'}</td>
<td>${p.environments.map((x) => `${e(x.environment)}: ${e(x.version)} (${x.kind})`).join('<br>') || '—'}</td></tr>`,
  );
  return `<section id="pacticipants"><h2>Pacticipants</h2><table><thead><tr><th>pacticipant</th><th>latest version</th><th>branches (latest version, of the newest 100)</th><th>environments</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function integrationsSection(data: PageData): string {
  if (data.integrations.length === 0) return '<section id="integrations"><h2>Integrations</h2><p>No pacts have been published.</p></section>';
  const rows = data.integrations.map(
    (i) => `<tr><td>${e(i.consumer)} → ${e(i.provider)}</td><td>${e(i.consumerVersion ?? '—')}</td><td><code>${e((i.pactSha ?? '').slice(0, 12))}</code><br><span class="muted">${e(when(i.publishedAt))}</span></td>
<td>${e(i.providerVersion ?? '—')}</td>${verdict(i.providerVersion === null ? null : i.success)}<td>${e(i.verificationType ?? '')}</td></tr>`,
  );
  return `<section id="integrations"><h2>Integrations: latest pact and its latest verification</h2><table><thead><tr><th>integration</th><th>consumer version</th><th>pact</th><th>verified by provider version</th><th>result</th><th>type</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function evidenceCell(data: PageData, versionId: number | null, step: string): string {
  const record = versionId === null ? undefined : data.evidence.get(versionId)?.get(step);
  if (!record) return '<span class="missing" title="no evidence">—</span>';
  const title = e(record.summary);
  const label = record.reportUrl ? `<a href="${e(record.reportUrl)}">${e(record.status)}</a>` : e(record.status);
  return `<span class="${e(record.status)} evidence-${e(record.status)}" title="${title}">${label}</span>`;
}

function matrixSection(data: PageData): string {
  if (data.matrix.length === 0) return '<section id="matrix"><h2>Matrix</h2><p>No pacts have been published.</p></section>';
  const stepHeads = data.steps.map((step) => `<th>${e(step)}<br><span class="muted">consumer / provider</span></th>`).join('');
  const rows = data.matrix.map((row) => {
    const steps = data.steps.map((step) => `<td data-step="${e(step)}">${evidenceCell(data, row.consumerVersionId, step)} / ${evidenceCell(data, row.providerVersionId, step)}</td>`).join('');
    return `<tr><td>${e(row.consumer)}</td><td>${e(row.consumerVersion)}</td><td>${e(row.provider)}</td><td>${e(row.providerVersion ?? '—')}</td>${verdict(row.providerVersion === null ? null : row.success)}${steps}</tr>`;
  });
  return `<section id="matrix"><h2>Matrix (newest ${data.matrix.length} publications) with gate evidence</h2><table><thead><tr><th>consumer</th><th>c. version</th><th>provider</th><th>p. version</th><th>verification</th>${stepHeads}</tr></thead><tbody>${rows.join('')}</tbody></table>
${data.steps.length === 0 ? '<p class="muted">No gate evidence has been published (accord gate --publish).</p>' : ''}</section>`;
}

function questionSection(data: PageData, question: PageQuestion | undefined): string {
  const names = data.pacticipants.map((p) => p.name);
  const option = (value: string, selected: string | undefined) => `<option${value === selected ? ' selected' : ''}>${e(value)}</option>`;
  const form = `<form method="get" action="/" id="can-i-deploy-form">
<label>pacticipant<select name="pacticipant">${names.map((n) => option(n, question?.pacticipant)).join('')}</select></label>
<label>version<input name="version" required value="${e(question?.version ?? '')}"></label>
<label>environment<select name="environment">${data.environments.map((n) => option(n, question?.environment)).join('')}</select></label>
<label>require evidence (steps, or all)<input name="require" placeholder="schema,scenarios,load" value="${e(question?.require ?? '')}"></label>
<button type="submit">Can I deploy?</button></form>`;
  let answer = '';
  if (question?.error) answer = `<p class="verdict fail" id="can-i-deploy-answer">${e(question.error)}</p>`;
  else if (question?.answer) {
    const { decision } = question.answer;
    const [cls, text] = decision.deployable === true ? ['yes', 'Yes: deployable'] : decision.deployable === false ? ['no', 'No: not deployable'] : ['unknown', 'Unknown: not deployable yet'];
    answer = `<div id="can-i-deploy-answer"><p class="verdict ${cls}">${e(`${question.pacticipant} ${question.version} → ${question.environment}: ${text}`)}</p><ul>${decision.reasons.map((r) => `<li class="${r.type === 'error' ? 'fail' : r.type === 'success' ? 'pass' : 'warn'}">${e(r.text)}</li>`).join('')}</ul></div>`;
  }
  return `<section id="can-i-deploy"><h2>Can I deploy?</h2>${form}${answer}</section>`;
}

/** The broker's page for people: pacticipants, integrations, the matrix with evidence, can-i-deploy. */
export function renderBrokerPage(data: PageData, question: PageQuestion | undefined, executions: readonly WebhookExecution[] = []): string {
  const body = `<h1>Accord broker</h1><p class="muted">The same data as the HAL API (<code>Accept: application/hal+json</code>).</p><form method="post" action="/ui/logout"><button type="submit">Log out</button></form>
${questionSection(data, question)}${pacticipantsSection(data)}${integrationsSection(data)}${matrixSection(data)}${renderExecutionsSection(executions)}`;
  return htmlDocument('Accord broker', body);
}

/** The login form a browser gets instead of a 401 body. */
export function renderLoginPage(message: string): string {
  return htmlDocument(
    'Accord broker: log in',
    `<h1>Accord broker</h1><p>${e(message)}</p><form method="post" action="/ui/login"><label>broker token (read-only or read-write)<input type="password" name="token" autocomplete="current-password" required></label><button type="submit">Log in</button></form>
<p class="muted">The token is kept in an HttpOnly, SameSite=Strict cookie that only lets this browser read; writes always need <code>Authorization: Bearer</code>.</p>`,
  );
}
