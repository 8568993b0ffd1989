// A slowloris client (headers trickled byte by byte) and an idle keep-alive connection are cut
// off after SATCHEL_HEADERS_TIMEOUT_MS / SATCHEL_IDLE_TIMEOUT_MS, while other clients are served.
// Bun has no header timeout to set: its server cuts a request whose headers are not complete
// after about 10 s by itself (measured 11-12 s here), whatever the idle timeout. workerd
// (`npm start`; on Cloudflare the platform's front faces clients) cuts both after its own 15 s.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const HEADERS_TIMEOUT_MS = 1500;
const IDLE_TIMEOUT_MS = 1500;

function openSocket(url: string): Promise<Socket> {
  const { port, hostname } = new URL(url);
  const socket = connect(Number(port), hostname);
  return new Promise((resolve, reject) => socket.once("connect", () => resolve(socket)).once("error", reject));
}

/** Milliseconds until the server closes `socket`, or null if it still is open after `limitMs`. */
function closedWithin(socket: Socket, limitMs: number): Promise<number | null> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), limitMs);
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

export function slowClientSuite(runtime: Runtime, headersBoundMs: number, idleBoundMs = IDLE_TIMEOUT_MS + 4000) {
  describe(`${runtime}: slow and idle clients`, () => {
    let satchel: SatchelProcess;

    beforeAll(async () => {
      satchel = await startSatchel(runtime, { SATCHEL_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), SATCHEL_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS) });
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop();
    });

    it("closes a connection that trickles its headers, and serves others meanwhile", { timeout: 60_000 }, async () => {
      const slow = await openSocket(satchel.url);
      slow.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      // One header byte every 100 ms: never idle, never done.
      const trickle = setInterval(() => slow.writable && slow.write("X"), 100);
      const closed = closedWithin(slow, headersBoundMs + 5000);
      try {
        const served = await fetch(`${satchel.url}/healthz`);
        expect(served.status).toBe(200);
        const after = await closed;
        expect(after).not.toBeNull();
        expect(after!).toBeLessThan(headersBoundMs);
      } finally {
        clearInterval(trickle);
        slow.destroy();
      }
    });

    it("closes an idle keep-alive connection after the idle timeout", { timeout: 60_000 }, async () => {
      // Bun checks idle connections on a coarse clock (seconds), so on a loaded machine it may
      // close a fresh connection before reading its first request (the client sees a close, no
      // answer, and would retry): a connection closed unanswered is opened again, up to 3 times.
      let idle: Socket | undefined;
      for (let attempt = 0; attempt < 3 && !idle; attempt++) {
        const socket = await openSocket(satchel.url);
        socket.on("error", () => undefined);
        socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const answered = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 10_000);
          socket.once("data", () => (clearTimeout(timer), resolve(true)));
          socket.once("close", () => (clearTimeout(timer), resolve(false)));
        });
        if (answered) idle = socket;
        else socket.destroy();
      }
      expect(idle).toBeDefined();
      const after = await closedWithin(idle!, idleBoundMs + 5000);
      idle!.destroy();
      expect(after).not.toBeNull();
      expect(after!).toBeLessThan(idleBoundMs);
    });
  });
}

slowClientSuite("node", HEADERS_TIMEOUT_MS + 4000);

slowClientSuite("bun", 15_000);

// Deno through its node:http, with the same timeouts as Node (src/deno.ts: Deno.serve has none).
slowClientSuite("deno", HEADERS_TIMEOUT_MS + 4000);

// npm start: workerd's own limits (the SATCHEL_*_TIMEOUT_MS settings are the self-host server's).
slowClientSuite("workerd", 20_000, 20_000);
