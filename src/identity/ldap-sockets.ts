// ldapts's connections on Cloudflare Workers, over `connect()` from cloudflare:sockets. workerd's
// node:net runs plain LDAP and LDAPS, but its node:tls cannot upgrade a node:net socket in place
// (StartTLS fails: "Cannot call releaseLock() on a reader with outstanding read promises"). Here
// every plain connection is opened with `secureTransport: "starttls"` ("on" for ldaps://) and the
// upgrade is the runtime's own `startTls()`. The certificate is verified against the runtime's
// CAs: on Cloudflare the public ones, under local workerd the file in SSL_CERT_FILE.
import { connect } from "cloudflare:sockets";
import { Duplex } from "node:stream";
import type { ClientOptions } from "ldapts";
import type { LdapDirectory, LdapSettings } from "./ldap-directory.ts";
import { ldapDirectoryOver } from "./ldap-session.ts";

type ReadyEvent = "connect" | "secureConnect";

/** A node Duplex over a Workers socket, as ldapts expects from net.connect / tls.connect. */
class WorkersSocketStream extends Duplex {
  readonly socket: Socket;
  connecting = true;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  // startTls() needs both streams unlocked: after a StartTLS request, the reply (a few dozen bytes,
  // one read) is the last read until the next write.
  #startTlsAsked = false;
  #held = false;
  #upgraded = false;

  constructor(socket: Socket, ready: ReadyEvent) {
    super();
    this.socket = socket;
    this.#writer = socket.writable.getWriter();
    socket.opened.then(
      () => {
        this.connecting = false;
        this.emit(ready);
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _read(): void {
    if (this.#reader || this.#held || this.#upgraded) return;
    const reader: ReadableStreamDefaultReader<Uint8Array> = this.socket.readable.getReader();
    this.#reader = reader;
    void this.#pump(reader);
  }

  async #pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return void this.push(null);
        const lastBeforeUpgrade = this.#startTlsAsked;
        this.push(value);
        if (lastBeforeUpgrade) break;
      }
      this.#held = true;
      reader.releaseLock();
      this.#reader = null;
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#startTlsAsked = isStartTlsRequest(chunk);
    // After a StartTLS the server refused, reading goes on.
    if (this.#held && !this.#startTlsAsked) {
      this.#held = false;
      this._read();
    }
    this.#writer.write(chunk).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#upgraded) void this.socket.close().catch(() => undefined);
    callback(error);
  }

  /** The TLS stream over this connection, once the server has agreed to StartTLS; this plain one is done with. */
  upgrade(): WorkersSocketStream {
    if (this.#reader) throw new Error("StartTLS: the connection is still being read");
    this.#upgraded = true;
    this.#writer.releaseLock();
    const secure = new WorkersSocketStream(this.socket.startTls(), "secureConnect");
    // ldapts listens for the end of the connection on the plain stream (as node:tls's socket option works).
    secure.once("close", () => this.destroy());
    return secure;
  }
}

const START_TLS_OID = new TextEncoder().encode("1.3.6.1.4.1.1466.20037");

/** An LDAPMessage whose operation is an ExtendedRequest ([APPLICATION 23]) named StartTLS (RFC 4511 4.14.1). */
function isStartTlsRequest(message: Uint8Array): boolean {
  let at = 1 + berLengthSize(message, 1); // SEQUENCE
  if (message[at] !== 0x02) return false;
  at += 1 + berLengthSize(message, at + 1) + (message[at + 1] ?? 0); // messageID INTEGER (short form)
  if (message[at] !== 0x77) return false;
  const name = message.subarray(at + 1 + berLengthSize(message, at + 1) + 2);
  return START_TLS_OID.every((byte, index) => name[index] === byte);
}

/** Bytes taken by the BER length at `at`: 1 in short form, 1 + n in long form. */
function berLengthSize(bytes: Uint8Array, at: number): number {
  const first = bytes[at] ?? 0;
  return first & 0x80 ? 1 + (first & 0x7f) : 1;
}

/** ldapts's connection factories on a Workers runtime. */
export function workersConnections(): Pick<ClientOptions, "createConnection" | "createSecureConnection"> {
  const open = (port: number, host: string, secureTransport: "on" | "starttls") =>
    new WorkersSocketStream(connect({ hostname: host, port }, { secureTransport, allowHalfOpen: false }), secureTransport === "on" ? "secureConnect" : "connect");
  return {
    createConnection: ((port: number, host: string) => open(port, host, "starttls")) as unknown as ClientOptions["createConnection"],
    // ldapts calls it with (port, host, tlsOptions) for ldaps://, and with ({ socket }) to upgrade for StartTLS.
    createSecureConnection: ((portOrOptions: number | { socket?: unknown }, host?: string) => {
      if (typeof portOrOptions === "number") return open(portOrOptions, host as string, "on");
      const plain = portOrOptions.socket;
      if (!(plain instanceof WorkersSocketStream)) throw new Error("StartTLS needs a connection opened by workersConnections()");
      return plain.upgrade();
    }) as unknown as ClientOptions["createSecureConnection"],
  };
}

/** The LDAP port on Cloudflare Workers. There is no file to read a CA from: the certificate must be one the runtime trusts. */
export function workersLdapDirectory(settings: LdapSettings): LdapDirectory {
  if (settings.caFile) {
    throw new Error("SATCHEL_LDAP_CA_FILE cannot be used on Cloudflare Workers: they verify the directory's certificate against public CAs only (under local workerd: SSL_CERT_FILE)");
  }
  const tls = settings.startTls || settings.url.toLowerCase().startsWith("ldaps:");
  return ldapDirectoryOver(settings, {
    clientOptions: () => workersConnections(),
    startTlsOptions: {},
    // workerd says only that the connection failed, whether the host is down or its certificate is refused.
    failure: ({ message }) =>
      `The directory cannot be reached${tls ? ", or its TLS certificate is not trusted by the Workers runtime (public CAs only)" : ""} (${message.slice(0, 120)}).`,
  });
}
