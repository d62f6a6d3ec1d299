import { escapeHtml as e } from '../web/html.js';
import type { WebhookExecution } from './webhook-store.js';

/** How many executions the broker's page lists (the newest). */
export const EXECUTIONS_ON_PAGE = 20;

/** The page's "Webhook executions" section: when, which event, the request line, the answer, how long, the outcome. */
export function renderExecutionsSection(executions: readonly WebhookExecution[]): string {
  if (executions.length === 0) return '<section id="webhooks"><h2>Webhook executions</h2><p>No webhook has been executed.</p></section>';
  const rows = executions.map((execution) => {
    const answer = execution.response ? String(execution.response.status) : (execution.error ?? '');
    return `<tr><td>${e(new Date(execution.createdAt).toISOString())}</td><td>${e(execution.eventName)}</td><td><code>${e(execution.request.method)} ${e(execution.request.url)}</code></td><td>${e(execution.attempt)}</td><td>${e(answer)}</td><td>${e(execution.durationMs)} ms</td><td class="${execution.success ? 'pass' : 'fail'}">${execution.success ? 'delivered' : 'failed'}</td></tr>`;
  });
  return `<section id="webhooks"><h2>Webhook executions (newest ${executions.length})</h2><table><thead><tr><th>at</th><th>event</th><th>request</th><th>attempt</th><th>answer</th><th>took</th><th>outcome</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
