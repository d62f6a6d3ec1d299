export { renderArchitectureDoc } from './architecture-doc.js';
export type { ComposeTopology } from './architecture-doc.js';
export { renderBaselineDoc } from './baseline-doc.js';
export { renderContractDoc } from './contract-doc.js';
export { generateDocs, toDocsStep } from './generate-docs.js';
export type { DocFile, DocsResult, GenerateDocsOptions } from './generate-docs.js';
export { normaliseSequencePage } from './sequences-doc.js';
