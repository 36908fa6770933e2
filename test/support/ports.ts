import { createServer } from "node:net";
import { freePort } from "../../shared/infra/free-port";

/**
 * A free port below Linux's ephemeral range (32768-60999), for a child process the test starts
 * and points at by port. A port from `freePort` lies in that range, and until the child binds it
 * (a second or two of start-up), it can become the local port of an outgoing connection of the
 * tests running beside it: the child then fails with EADDRINUSE.
 */
export async function portBelowEphemeralRange(): Promise<number> {
  const canListen = (p: number) =>
    new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(p, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
  for (let i = 0; i < 50; i++) {
    const p = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(p)) return p;
  }
  return freePort();
}
