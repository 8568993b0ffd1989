// One keep-alive HTTP/1.1 connection whose server process is known: requests on it are all
// answered by the process that accepted it (found through /proc, Linux only). For tests of a
// server with several processes behind one port.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { connect, type Socket } from "node:net";

export interface PinnedResponse {
  status: number;
  body: string;
}

export class PinnedConnection {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#waiting?.();
    });
  }

  static async open(port: number): Promise<PinnedConnection> {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new PinnedConnection(socket);
  }

  /** The pid of the process holding the server side of this connection. */
  serverPid(candidates: number[]): number | undefined {
    const clientPort = this.#socket.localPort!;
    const hexPort = clientPort.toString(16).toUpperCase().padStart(4, "0");
    // The server side's remote address is our local port.
    const established = readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .map((row) => row.trim().split(/\s+/))
      .find((fields) => fields[2]?.endsWith(`:${hexPort}`) && fields[3] === "01" && fields[9] !== "0");
    const inode = established?.[9];
    if (!inode) return undefined;
    return candidates.find((pid) => readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    }));
  }

  async request(method: string, path: string, headers: Record<string, string> = {}, body = "", encoding: BufferEncoding = "utf8"): Promise<PinnedResponse> {
    const bytes = Buffer.from(body, encoding);
    const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", `Content-Length: ${bytes.length}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    this.#socket.write(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]));
    for (;;) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end >= 0) {
        const head = this.#buffer.subarray(0, end).toString("latin1");
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
        if (this.#buffer.length >= end + 4 + length) {
          const text = this.#buffer.subarray(end + 4, end + 4 + length).toString("utf8");
          this.#buffer = this.#buffer.subarray(end + 4 + length);
          return { status: Number(head.split(" ")[1]), body: text };
        }
      }
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** The pids of `parent`'s direct children. */
export function childPids(parent: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(parent);
      } catch {
        return false;
      }
    })
    .map(Number);
}
