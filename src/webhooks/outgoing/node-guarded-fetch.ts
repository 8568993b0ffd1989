// Node only (wired by src/node.ts): the HTTP client of outgoing hooks, with the address check
// done where the socket connects. A name that resolves to a public address when the target is
// checked and to a private one when the connection is made (DNS rebinding) is refused, because
// the address connected to is the one checked. Allow-listed hosts skip the check.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { isPrivateAddress } from "../../http/ip-address.ts";
import type { HookTransport } from "../../ports.ts";

type Lookup = (hostname: string, options: LookupOptions & { all: true }, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

// Statuses whose Response may not have a body.
const NULL_BODY = new Set([101, 204, 205, 304]);

export function guardedNodeFetch(lookup: Lookup = dnsLookup as unknown as Lookup): HookTransport {
  return (url, init, { allowPrivate }) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const guardedLookup = (hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
        lookup(hostname, { ...options, all: true }, (error, addresses) => {
          if (error) return callback(error);
          const inside = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
          if (inside) return callback(new Error(`${hostname} resolves to ${inside.address}, a private address: refused`));
          if (options.all) return callback(null, addresses);
          callback(null, addresses[0]?.address, addresses[0]?.family);
        });
      };
      const request = (target.protocol === "https:" ? https : http).request(
        target,
        {
          method: init.method,
          headers: init.headers,
          signal: init.signal,
          // A connection per delivery: Deno's node:http cannot abort a request on a pooled
          // keep-alive socket, so a hanging receiver would hold the delivery past its timeout.
          agent: false,
          lookup: guardedLookup as unknown as typeof dnsLookup,
        },
        (response) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
          }
          const status = response.statusCode ?? 502;
          if (NULL_BODY.has(status)) response.resume();
          const body = NULL_BODY.has(status) ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers }));
        },
      );
      request.on("error", reject);
      request.end(init.body);
    });
}
