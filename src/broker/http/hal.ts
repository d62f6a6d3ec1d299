import type { FastifyRequest } from 'fastify';

/** A HAL link. */
export interface Link {
  href: string;
  title?: string;
  name?: string;
  templated?: boolean;
}

/** Builds absolute links for one request. */
export interface Links {
  base: string;
  /** `base` + the path made of `segments`, each URL-encoded (names and versions may hold any character). */
  url(...segments: string[]): string;
}

/** The broker's own URL as the caller sees it (`baseUrl` wins when configured). */
export function linksFor(request: FastifyRequest, baseUrl: string | undefined): Links {
  const base = (baseUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
  return {
    base,
    url: (...segments: string[]) => `${base}/${segments.map((s) => encodeURIComponent(s)).join('/')}`,
  };
}

/** `{ href, ...extra }`. */
export function link(href: string, extra: Omit<Link, 'href'> = {}): Link {
  return { href, ...extra };
}
