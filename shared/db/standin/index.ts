/**
 * In-memory MongoDB wire-protocol stand-in for trial runs and tests on machines without MongoDB.
 * See README.md in this folder for what it does and does not do.
 */
import { StandinServer } from "./server";

export interface MongoStandin {
  /** connection string for the official driver */
  uri: string;
  port: number;
  close(): Promise<void>;
}

export interface StartMongoStandinOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** where the start-up warning and protocol complaints go; default console.warn */
  onLog?: (msg: string) => void;
}

export async function startMongoStandin(opts: StartMongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? "127.0.0.1";
  const onLog = opts.onLog ?? ((msg: string) => console.warn(msg));
  const server = new StandinServer({ host, port: opts.port ?? 0, onLog });
  const port = await server.listen();
  const uri = `mongodb://${host.includes(":") ? `[${host}]` : host}:${port}/?directConnection=true`;
  onLog(
    `WARNING: MONGO_URL is not set — using the IN-MEMORY MongoDB stand-in at ${uri}. ` +
      "It is NOT MongoDB: all data is lost when this process exits (no persistence, transactions, change streams, auth or replication).",
  );
  let closed = false;
  return {
    uri,
    port,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}
