export { ensureBuilt } from './ensure-built.js';
