import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** Mermaid's browser bundle and its version, to inline into a page that must work offline. */
export interface MermaidBundle {
  readonly version: string;
  readonly code: string;
}

let loaded: Promise<MermaidBundle | undefined> | undefined;

/**
 * Reads `mermaid/dist/mermaid.min.js` (about 3.5 MB) from the installed package, once per
 * process; undefined when mermaid is not installed. Mermaid is an optional peer dependency (it
 * and its diagram engines are a third of what Accord would otherwise install): a team that
 * wants drawn diagrams in acceptance.html runs `npm install mermaid`; without it the report
 * shows each diagram's Mermaid source.
 */
export function mermaidBundle(): Promise<MermaidBundle | undefined> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    let bundlePath: string;
    try {
      bundlePath = require.resolve('mermaid/dist/mermaid.min.js');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
      throw error;
    }
    const code = await readFile(bundlePath, 'utf8');
    const { version } = JSON.parse(await readFile(require.resolve('mermaid/package.json'), 'utf8')) as { version: string };
    // Inlined as a <script> body, the text must not end the element early.
    if (/<\/script/i.test(code)) throw new Error(`mermaid ${version}: its bundle contains "</script" and cannot be inlined`);
    return { version, code };
  })();
  return loaded;
}
