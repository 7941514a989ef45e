// The state of a cloned Docs folder: `.helpscout-docs.json` at its root
// (the site, the scope, and per article the file, the server's `updatedAt`
// the file was based on and a hash of that text), plus the text itself under
// `.helpscout-docs/base/<id>.md`, the base of the three-way merge a pull makes.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const STATE_FILE = '.helpscout-docs.json';
export const STATE_DIR = '.helpscout-docs';

const fileStateSchema = z.object({
  /** Relative to the folder, "/"-separated. */
  path: z.string(),
  collectionId: z.string(),
  updatedAt: z.string().nullable(),
  /** sha256 of the base text (line endings as LF). */
  hash: z.string(),
});
export type FileState = z.infer<typeof fileStateSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  siteId: z.string(),
  /** Set when one collection was cloned; otherwise the whole site. */
  collectionId: z.string().optional(),
  articles: z.record(z.string(), fileStateSchema),
});
export type SyncState = z.infer<typeof stateSchema>;

export class NotAClonedFolderError extends Error {
  constructor(dir: string) {
    super(`${dir} is not a cloned Docs folder (no ${STATE_FILE}); run clone first`);
    this.name = 'NotAClonedFolderError';
  }
}

/** LF line endings, so a checkout that converts them does not count as an edit. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function hashText(text: string): string {
  return createHash('sha256').update(normalizeText(text), 'utf8').digest('hex');
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export async function readState(dir: string): Promise<SyncState> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotAClonedFolderError(dir);
    throw e;
  }
  return stateSchema.parse(JSON.parse(text));
}

export async function writeState(dir: string, state: SyncState): Promise<void> {
  const sorted: SyncState = { ...state, articles: Object.fromEntries(Object.entries(state.articles).sort(([a], [b]) => a.localeCompare(b))) };
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

function basePath(dir: string, id: string): string {
  return join(dir, STATE_DIR, 'base', `${id}.md`);
}

export async function readBase(dir: string, id: string): Promise<string | undefined> {
  try {
    return await readFile(basePath(dir, id), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeBase(dir: string, id: string, text: string): Promise<void> {
  await writeFileAtomic(basePath(dir, id), text);
}

export async function removeBase(dir: string, id: string): Promise<void> {
  await rm(basePath(dir, id), { force: true });
}
