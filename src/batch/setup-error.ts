/**
 * The store cannot start (DATA_DIR unwritable or in use by another process, a corrupt database, a schema
 * from a newer version): the service must not start as an empty one. The message names the setting and
 * the fix; `npm start` prints it and exits non-zero.
 */
export class StoreSetupError extends Error {
  override readonly name = 'StoreSetupError';
  constructor(
    /** The setting to look at (e.g. `DATA_DIR`). */
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
