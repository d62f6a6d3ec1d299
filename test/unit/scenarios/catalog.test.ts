import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { isAccordError } from '../../../src/errors/index.js';
import { describeCatalog, loadCatalog, loadConfiguredCatalog, renderCatalogJson, renderCatalogText } from '../../../src/scenarios/index.js';
import { EXAMPLE_ROOT } from '../../support/accord.js';

const SCENARIO = (name: string) => `{ name: '${name}', title: 'T ${name}', proves: ['end-to-end'], actions: async () => 1, checks: [{ name: 'c', verify: () => ({ ok: true, detail: '' }) }] }`;

describe('scenarios: a catalog module', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-catalog-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // A module is imported once per process: each source gets a file of its own.
  let count = 0;
  const load = async (source: string, name = `catalog-${++count}.mjs`) => {
    await writeFile(join(dir, name), source);
    return loadCatalog(join(dir, name), dir);
  };
  const error = async (source: string, name = 'catalog.mjs') => {
    try {
      await load(source, name);
    } catch (caught) {
      if (!isAccordError(caught)) throw caught;
      return caught.message;
    }
    throw new Error('expected an AccordError');
  };

  it('reads the default export, or `scenarios`, in the order it gives', async () => {
    expect((await load(`export default [${SCENARIO('b')}, ${SCENARIO('a')}];`)).scenarios.map((s) => s.name)).to.deep.equal(['b', 'a']);
    expect((await load(`export const scenarios = [${SCENARIO('one')}];`, 'named.mjs')).scenarios.map((s) => s.name)).to.deep.equal(['one']);
  });

  it('loads a TypeScript catalog that imports accord, as the example does', async () => {
    const config = await loadConfig('config/integration', { env: {}, root: EXAMPLE_ROOT });
    const catalog = await loadConfiguredCatalog(config);
    expect(catalog?.file).to.equal(join(EXAMPLE_ROOT, 'scenarios/index.ts'));
    expect(catalog?.scenarios).to.have.length(14);
  });

  it('says in one line what is wrong with a module that is not a catalog', async () => {
    expect(await error('export default 3;', 'catalog.mjs')).to.equal('scenario catalog catalog.mjs must default-export (or export as `scenarios`) an array of defineScenario(...), got number');
    expect(await error(`export default [${SCENARIO('Bad Name')}, ${SCENARIO('x')}, ${SCENARIO('x')}, { name: 'y', proves: ['speed'], checks: [] }];`, 'bad.mjs')).to.equal(
      'scenario catalog bad.mjs: scenario "Bad Name": name must be kebab-case (lowercase letters, digits, -); scenario "x": the name is used twice; scenario "y": title is missing; scenario "y": actions must be a function; scenario "y": proves "speed", expected some of error-handling, data-consistency, end-to-end',
    );
    expect(await error('throw new Error("boom");', 'throws.mjs')).to.equal('scenario catalog throws.mjs failed to load: boom');
    try {
      await loadCatalog(join(dir, 'missing.ts'), dir);
      expect.fail('expected an error');
    } catch (caught) {
      expect(isAccordError(caught, 'ACCORD_FILE_NOT_FOUND')).to.equal(true);
      expect((caught as Error).message).to.equal('scenario catalog missing.ts not found: expected a module whose default export is an array of defineScenario(...)');
    }
  });

  it('lists each scenario with its title, what it proves and its checks, as text and json', async () => {
    const catalog = await load(`export default [${SCENARIO('first')}];`, 'list.mjs');
    const entries = describeCatalog(catalog.scenarios);
    expect(entries).to.deep.equal([{ name: 'first', title: 'T first', proves: ['end-to-end'], checks: ['c'] }]);
    expect(JSON.parse(renderCatalogJson('catalog.mjs', entries))).to.deep.equal({ catalog: 'catalog.mjs', scenarios: entries });
    const text = renderCatalogText('list.mjs', entries);
    expect(text).to.match(/│ first\s+│ T first\s+│ end-to-end\s+│ 1\s+│/);
    expect(text).to.match(/\n1 scenario in list\.mjs\n$/);
  });
});
