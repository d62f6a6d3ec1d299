/**
 * A team's states module loads whatever its project is: ESM or CommonJS, any of the six
 * extensions, `accord` imported the way that project imports packages.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { importModule } from '../../../src/pact/import-module.js';
import { loadProviderStates } from '../../../src/pact/run-verify.js';

/** Each module's text by project type and extension (distinct base names: tsx maps `x.js` to `x.ts`); each default-exports `{ shape: '<type> <ext>' }`. */
const MODULES: Record<'module' | 'commonjs', Record<string, string>> = {
  module: {
    'js-module.js': `export default { shape: 'module .js' };\n`,
    'mjs-module.mjs': `export default { shape: 'module .mjs' };\n`,
    'cjs-module.cjs': `module.exports = { shape: 'module .cjs' };\n`,
    'ts-module.ts': `const shape: string = 'module .ts';\nexport default { shape };\n`,
    'mts-module.mts': `const shape: string = 'module .mts';\nexport default { shape };\n`,
    'cts-module.cts': `const shape: string = 'module .cts';\nexport = { shape };\n`,
  },
  commonjs: {
    'js-module.js': `module.exports = { shape: 'commonjs .js' };\n`,
    'mjs-module.mjs': `export default { shape: 'commonjs .mjs' };\n`,
    'cjs-module.cjs': `module.exports = { shape: 'commonjs .cjs' };\n`,
    // Written with ES syntax, compiled to CommonJS: how most TypeScript projects of type commonjs look.
    'ts-module.ts': `const shape: string = 'commonjs .ts';\nexport default { shape };\n`,
    'mts-module.mts': `const shape: string = 'commonjs .mts';\nexport default { shape };\n`,
    'cts-module.cts': `const shape: string = 'commonjs .cts';\nexport = { shape };\n`,
  },
};

describe('importModule: states modules of any project', function () {
  // tsx compiles the TypeScript ones on first load.
  this.timeout(30_000);
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'accord-import-module-'));
    for (const [type, files] of Object.entries(MODULES)) {
      await mkdir(join(root, type));
      await writeFile(join(root, type, 'package.json'), JSON.stringify({ name: `project-${type}`, type }));
      for (const [name, text] of Object.entries(files)) await writeFile(join(root, type, name), text);
    }
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const [type, files] of Object.entries(MODULES)) {
    for (const name of Object.keys(files)) {
      const extension = name.slice(name.indexOf('.'));
      it(`loads a ${extension} module of a ${type} project, its default export as default`, async () => {
        const module = (await importModule(pathToFileURL(join(root, type, name)).href, {})) as { default?: { shape?: string } };
        expect(module.default?.shape).to.equal(`${type} ${extension}`);
      });
    }
  }

  it("a .ts states module of a CommonJS project imports defineProviderStates from 'accord'", async () => {
    const file = join(root, 'commonjs', 'states.ts');
    await writeFile(
      file,
      `import { defineProviderStates } from 'accord';
import type { ProviderStateParams } from 'accord';
export default defineProviderStates({ 'product 10 exists': async (_params: ProviderStateParams) => undefined }, { requestFilter: () => undefined });\n`,
    );
    const states = await loadProviderStates(file, root);
    expect(states.names).to.deep.equal(['product 10 exists']);
    expect(states.requestFilter).to.be.a('function');
  });

  it("a CommonJS .js states module requires 'accord'", async () => {
    const file = join(root, 'commonjs', 'required-states.js');
    await writeFile(file, `const { defineProviderStates } = require('accord');\nmodule.exports = defineProviderStates({ 'no products exist': async () => undefined });\n`);
    const states = await loadProviderStates(file, root);
    expect(states.names).to.deep.equal(['no products exist']);
  });

  it("the stand-in for 'accord' is gone after the load: other requires are not answered by it", async () => {
    const file = join(root, 'commonjs', 'later.cjs');
    await writeFile(file, `module.exports = { resolved: (() => { try { return require.resolve('accord'); } catch (error) { return error.code; } })() };\n`);
    const module = (await importModule(pathToFileURL(file).href)) as { default?: { resolved?: string } };
    expect(module.default?.resolved).not.to.match(/accord for commonjs/);
  });
});
