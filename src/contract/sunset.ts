import type { SunsetExtension } from './openapi-document.js';

/** An `x-sunset` value: absent, a date, or text that is not a date. */
export type Sunset = { kind: 'none'; text: '' } | { kind: 'date'; text: string; date: Date } | { kind: 'invalid'; text: string };

/** Reads `x-sunset` (RFC 3339 date or date-time, as oasdiff expects). */
export function sunsetOf(node: SunsetExtension): Sunset {
  const raw = node['x-sunset'];
  if (raw === undefined || raw === null || raw === '') return { kind: 'none', text: '' };
  const text = String(raw);
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ].*)?$/.exec(text);
  const date = match === null ? undefined : new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`);
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.slice(0, 10)) {
    return { kind: 'invalid', text };
  }
  return { kind: 'date', text, date };
}
