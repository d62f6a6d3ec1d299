import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * An evidence href as a link from a report written in `fromDir`: URLs (`https:`, `file:`) and
 * in-page anchors (`#…`) stay; paths, relative to the working directory, become relative to
 * the report, so the link works wherever the report folder is opened.
 */
export function hrefFrom(href: string, fromDir: string | undefined, cwd: string = process.cwd()): string {
  if (fromDir === undefined || href.startsWith('#') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(href)) return href;
  const target = isAbsolute(href) ? href : resolve(cwd, href);
  return relative(resolve(cwd, fromDir), target).split(sep).join('/') || '.';
}

/** Whether a link may be clickable in a report: web and file URLs, mail, anchors and paths; never `javascript:` or `data:`. */
export function isSafeHref(href: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href.trim())?.[1]?.toLowerCase();
  return scheme === undefined || ['http', 'https', 'file', 'mailto'].includes(scheme);
}
