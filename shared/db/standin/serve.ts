/** Opens the store and serves it: what the stand-in's thread (thread.ts) runs. */
import { StandinServer } from "./server";
import { Store } from "./store";
import type { StandinThreadOptions } from "./thread-protocol";

export interface Serving {
  port: number;
  /** the data directory (a temporary one when none was given) */
  dir: string;
  close(): Promise<void>;
}

export async function serveStore(o: StandinThreadOptions, onLog: (msg: string) => void): Promise<Serving> {
  const store = await Store.open({ dir: o.dataDir, docCacheBytes: o.docCacheBytes, verifyOnOpen: o.verifyOnOpen, lockHeld: o.lockHeld });
  const server = new StandinServer({ host: o.host, port: o.port, onLog, store });
  try {
    const port = await server.listen();
    return {
      port,
      dir: store.dir,
      async close() {
        await server.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
