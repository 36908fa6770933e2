/**
 * A client that announces a body and never sends it, or never finishes its headers, must not hold
 * a socket: the server answers 408 and closes the connection once REQUEST_TIMEOUT_MS (or the 10 s
 * header deadline, capped by it) has passed.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "../../support/api";

let t: TestApi;
let port: number;
let authorization: string;
beforeAll(async () => {
  t = await makeTestApi({ REQUEST_TIMEOUT_MS: "1000" });
  // authenticated: an unauthenticated request is refused before its body is read
  authorization = await t.bearer("ws-slow", ["ingest"]);
  const url = await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = Number(new URL(url).port);
});
afterAll(async () => t?.close());

/** Sends `raw`, then resolves with what came back and how long until the server closed the socket. */
function stall(raw: string): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = "";
    const socket: Socket = connect(port, "127.0.0.1", () => socket.write(raw));
    socket.on("data", (b) => (answer += b.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ answer, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after 15 s; got ${JSON.stringify(answer)}`));
    }, 15_000).unref();
  });
}

describe("slow and stalled clients", () => {
  it("a body shorter than its Content-Length gets 408 and the socket closed", async () => {
    const { answer, closedAfterMs } = await stall(
      `POST /v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"items":[`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it("an unauthenticated body is refused with 401 at once, without waiting for it", async () => {
    const { answer, closedAfterMs } = await stall(
      `POST /v1/tickets HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"items":[`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(closedAfterMs).toBeLessThan(900);
  }, 20_000);

  it("headers that never end get 408 and the socket closed", async () => {
    const { answer } = await stall("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 20_000);

  it("the server carries every timeout: request, headers, idle socket and keep-alive", () => {
    const server = t.app.server;
    expect(server.requestTimeout).toBe(1_000);
    expect(server.headersTimeout).toBe(1_000);
    expect(server.timeout).toBe(120_000);
    expect(server.keepAliveTimeout).toBe(72_000);
  });
});
