import { BlockList, isIP } from 'node:net';

/** Where webhooks may call: the Pact Broker's `webhook_scheme_whitelist` and `webhook_host_whitelist`. */
export interface WebhookTargetPolicy {
  /** Allowed URL schemes. @default ['https'] */
  schemeWhitelist: readonly string[];
  /**
   * Allowed hosts: a name (`ci.example.com`), a wildcard (`*.example.com`), an address, a network
   * range (`10.0.0.0/8`) or a regular expression between slashes (`/^ci\d+\.example\.com$/`).
   * Empty: any host, except link-local and cloud metadata addresses, which must be listed. @default []
   */
  hostWhitelist: readonly string[];
}

/** The Pact Broker's defaults: https only, any host that is not link-local or metadata. */
export const DEFAULT_TARGET_POLICY: WebhookTargetPolicy = Object.freeze({ schemeWhitelist: ['https'], hostWhitelist: [] });

// Instance metadata services answer with cloud credentials: a webhook must never reach one by default.
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);
const RISKY = new BlockList();
RISKY.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, AWS/GCP/Azure metadata at 169.254.169.254
RISKY.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
RISKY.addSubnet('fe80::', 10, 'ipv6'); // link-local
RISKY.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();

/** Whether an address or host name is link-local or a cloud metadata service. */
export function isLinkLocalOrMetadata(host: string): boolean {
  const name = bare(host);
  const family = isIP(name);
  if (family === 0) return METADATA_HOSTS.has(name.replace(/\.$/, ''));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
  if (mapped) return RISKY.check(mapped, 'ipv4');
  return RISKY.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether one whitelist entry names `host`. */
function entryMatches(entry: string, host: string): boolean {
  const name = bare(host);
  const rule = entry.trim();
  if (rule.length > 2 && rule.startsWith('/') && rule.endsWith('/')) {
    try {
      return new RegExp(rule.slice(1, -1), 'i').test(name);
    } catch {
      return false;
    }
  }
  const lower = bare(rule);
  if (lower.startsWith('*.')) return name.endsWith(lower.slice(1)) && name.length > lower.length - 1;
  const slash = lower.indexOf('/');
  if (slash > 0 && isIP(name) !== 0) {
    const network = lower.slice(0, slash);
    const prefix = Number(lower.slice(slash + 1));
    const family = isIP(network);
    if (family === 0 || !Number.isInteger(prefix)) return false;
    const list = new BlockList();
    try {
      list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return isIP(name) === family && list.check(name, family === 4 ? 'ipv4' : 'ipv6');
  }
  return name === lower;
}

/** Whether the whitelist lists `host` itself (not just "any host"). */
export function hostListed(policy: WebhookTargetPolicy, host: string): boolean {
  return policy.hostWhitelist.some((entry) => entryMatches(entry, host));
}

/**
 * Why a webhook may not call `url` under `policy`, or undefined when it may. Checked when a
 * webhook is created or changed, and again (with the resolved addresses) before each delivery.
 */
export function targetRefusal(url: string, policy: WebhookTargetPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL`;
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (!policy.schemeWhitelist.map((s) => s.toLowerCase()).includes(scheme)) {
    return `the scheme ${JSON.stringify(scheme)} is not allowed (webhook scheme whitelist: ${policy.schemeWhitelist.join(', ') || 'empty'})`;
  }
  const host = parsed.hostname;
  if (host.includes('${') || host.includes('%7B')) return 'the host may not be a template parameter';
  return hostRefusal(host, policy);
}

/** Why a webhook may not call `host` (a name or a resolved address), or undefined. */
export function hostRefusal(host: string, policy: WebhookTargetPolicy): string | undefined {
  const listed = hostListed(policy, host);
  if (isLinkLocalOrMetadata(host) && !listed) return `the host ${bare(host)} is a link-local or cloud metadata address, which webhooks may call only when the host whitelist names it`;
  if (policy.hostWhitelist.length > 0 && !listed) return `the host ${bare(host)} is not in the webhook host whitelist (${policy.hostWhitelist.join(', ')})`;
  return undefined;
}
