/** What `startMongoStandin` and the stand-in's thread (thread.ts) tell each other. */
export interface StandinThreadOptions {
  host: string;
  port: number;
  dataDir?: string;
  verifyOnOpen?: boolean;
  docCacheBytes?: number;
  /** the starting thread holds the data directory's lock */
  lockHeld?: boolean;
}

/** An error thrown in the thread, as structured clone can carry it (its class is restored by name). */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export type ThreadMessage =
  | { type: "ready"; port: number; dir: string }
  | { type: "failed"; error: ThreadError }
  | { type: "log"; msg: string }
  | { type: "closed" };
