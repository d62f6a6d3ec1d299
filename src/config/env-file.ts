import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';

/** Reads a dotenv file (`NAME=value` lines) with Node's own parser; a missing file is empty. */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value !== undefined) values[name] = value;
  }
  return values;
}
