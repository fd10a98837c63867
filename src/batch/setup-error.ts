import { SetupError } from '../setup-error.js';

/**
 * The store cannot start (DATA_DIR unwritable or in use by another process, a corrupt database, a schema
 * from a newer version): the service must not start as an empty one. A {@link SetupError}: the message
 * says what is wrong and what to change; the process prints one line and exits 78.
 */
export class StoreSetupError extends SetupError {
  override readonly name = 'StoreSetupError';
  constructor(
    /** The setting to look at (e.g. `DATA_DIR`). */
    setting: string,
    message: string,
    options?: { cause?: unknown; fix?: string },
  ) {
    super(message, { setting, fix: options?.fix ?? 'as the message says (docs/durability.md, "When the store cannot be used")' }, options);
  }
}
