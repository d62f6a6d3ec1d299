/**
 * Imports a module by URL. The built CLI (dist/) runs without tsx, so a TypeScript module (the
 * example's provider states are) goes through tsx's scoped `tsImport`, loaded only then.
 */
export async function importModule(url: string): Promise<unknown> {
  if (import.meta.url.endsWith('.ts') || !/\.[cm]?tsx?$/.test(url)) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}
