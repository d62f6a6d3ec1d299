import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** Mermaid's browser bundle and its version, to inline into a page that must work offline. */
export interface MermaidBundle {
  readonly version: string;
  readonly code: string;
}

let loaded: Promise<MermaidBundle> | undefined;

/** Reads `mermaid/dist/mermaid.min.js` (about 3.5 MB) from the installed package, once per process. */
export function mermaidBundle(): Promise<MermaidBundle> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const code = await readFile(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
    const { version } = JSON.parse(await readFile(require.resolve('mermaid/package.json'), 'utf8')) as { version: string };
    // Inlined as a <script> body, the text must not end the element early.
    if (/<\/script/i.test(code)) throw new Error(`mermaid ${version}: its bundle contains "</script" and cannot be inlined`);
    return { version, code };
  })();
  return loaded;
}
