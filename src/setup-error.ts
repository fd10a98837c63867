/**
 * Setup mistakes (a wrong setting, a missing card database, a port in use) end the process with one plain
 * line naming what is wrong and the setting that fixes it, and exit code 78 (EX_CONFIG from sysexits.h) —
 * never a stack trace, and before the slow part of start-up where possible.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Exit code of a setup mistake: EX_CONFIG ("configuration error") from sysexits.h. */
const SETUP_EXIT_CODE = 78;

export interface SetupErrorDetails {
  /** The setting that fixes it (`CARDS_PATH`, `PORT`, …). */
  setting: string;
  /** What to do, e.g. "set PORT to a free port, or stop the process using it". */
  fix: string;
}

/** A mistake in how the service is set up (not a bug): reported as one line, exit code 78. */
export class SetupError extends Error {
  override readonly name: string = 'SetupError';
  readonly setting: string;
  readonly fix: string;

  constructor(message: string, { setting, fix }: SetupErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.setting = setting;
    this.fix = fix;
  }

  /** The one line printed on exit: what is wrong, the setting and the fix. */
  get line(): string {
    const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
    return `decklist-ocr: setup error (${this.setting}): ${oneLine(this.message)}; fix: ${oneLine(this.fix)}`;
  }
}

function isSetupError(error: unknown): error is SetupError {
  return error instanceof SetupError;
}

/**
 * Runs `main`; a {@link SetupError} from it ends the process with its one line on stderr and exit code 78.
 * Any other error is rethrown (a bug keeps its stack trace).
 */
export async function exitOnSetupError<T>(main: () => Promise<T>): Promise<T> {
  try {
    return await main();
  } catch (error) {
    if (!isSetupError(error)) throw error;
    process.stderr.write(`${error.line}\n`);
    process.exit(SETUP_EXIT_CODE);
  }
}

/**
 * The SetupError for a failed `listen` (port in use, a port below 1024 without the right, an address that
 * is not this machine's), or null for another error.
 */
export function listenSetupError(error: unknown, port: number, host: string): SetupError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new SetupError(`port ${port} is already in use on ${host}`, {
        setting: 'PORT',
        fix: 'set PORT to a free port (PORT=0 picks one), or stop the process using it',
      });
    case 'EACCES':
    case 'EPERM':
      return new SetupError(`no permission to listen on ${where}`, {
        setting: 'PORT',
        fix: 'set PORT to 1024 or above (lower ports need extra rights)',
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SetupError(`cannot listen on ${where}: ${host} is not an address of this machine`, {
        setting: 'HOST',
        fix: 'set HOST to localhost, 0.0.0.0 (every interface) or an address of this machine',
      });
    default:
      return null;
  }
}

/**
 * Makes sure `dir` exists (created if needed) and is writable, or throws a SetupError naming `setting`.
 */
export function ensureWritableDir(dir: string, setting: string): void {
  try {
    // Level by level (not `recursive: true`, which never returns for some paths, e.g. under /proc).
    const missing: string[] = [];
    for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
      missing.unshift(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of missing) mkdirSync(d);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SetupError(`cannot write to the folder ${dir} (${code})`, {
      setting,
      fix: `set ${setting} to a folder this user can write to`,
    });
  }
}
