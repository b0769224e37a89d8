import type { ProgressExportFile, StoredProgress } from '../../schemas/progress.ts';
import { PROGRESS_EXPORT_FORMAT } from '../../schemas/progress-constants.ts';
import { isTimestamp, parseProgressValue } from './stored-progress.ts';

/**
 * The export file: what "Export progress" writes and "Import progress" accepts. Import checks the
 * whole file before anything changes, and every rejection says, in one sentence, why.
 */

/** Larger than any real export by orders of magnitude; refuses to parse anything bigger. */
export const MAX_IMPORT_BYTES = 4_000_000; // exercises keep code (at most 100 kB each)

export type ImportResult = { ok: true; progress: StoredProgress } | { ok: false; message: string };

const UNCHANGED = 'Your progress was not changed.';

/** The export file for `progress`, as pretty-printed JSON text. */
export function exportProgressFile(progress: StoredProgress, now: Date): string {
  const file: ProgressExportFile = {
    format: PROGRESS_EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    progress,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name that says what the file is and when it was made. */
export function exportFileName(now: Date): string {
  return `gil-lab-progress-${now.toISOString().slice(0, 10)}.json`;
}

/** Reads an export file's text; the progress it holds, or why it cannot be used. */
export function parseProgressFile(text: string): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return reject('That file is too large to be a GIL Lab progress export.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reject('That file is not a GIL Lab progress export (it is not JSON).');
  }
  if (typeof value !== 'object' || value === null || !('format' in value)) {
    return reject('That file is not a GIL Lab progress export.');
  }
  if (value.format !== PROGRESS_EXPORT_FORMAT) {
    return reject('That file is not a GIL Lab progress export.');
  }
  if (!('exportedAt' in value) || !isTimestamp(value.exportedAt)) {
    return reject('That progress file is damaged (it has no valid export date).');
  }
  const progress = 'progress' in value ? parseProgressValue(value.progress) : null;
  if (!progress || !progress.ok) {
    const problem = progress?.ok === false ? progress.problem : 'invalid';
    if (problem === 'newer-version') {
      return reject(
        'That progress file comes from a newer version of GIL Lab, which this site cannot read.',
      );
    }
    if (problem === 'older-version') {
      return reject(
        'That progress file comes from an older version of GIL Lab that is no longer supported.',
      );
    }
    return reject('That progress file is damaged, so it cannot be imported.');
  }
  return { ok: true, progress: progress.progress };
}

function reject(reason: string): ImportResult {
  return { ok: false, message: `${reason} ${UNCHANGED}` };
}
