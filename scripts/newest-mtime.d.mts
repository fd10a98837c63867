/** Newest modification time (ms) of the files under `dir`; 0 when it does not exist. */
export function newestMtime(dir: string): number;
