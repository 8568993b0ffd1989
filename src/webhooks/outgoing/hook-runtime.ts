// What outgoing hooks need from the runtime (its fetch, its resolver) and the in-process signal
// that deliveries were queued: the app then drains the outbox after the response
// (waitUntil on Workers), so a delivery never holds up the request that caused it.
import type { AppPorts, HookTransport } from "../../ports.ts";

export class HookRuntime {
  /** For provider APIs (admin-configured hosts). */
  readonly fetch: typeof fetch;
  readonly resolveHost?: (hostname: string) => Promise<string[]>;
  /** For deliveries: Node checks the address it connects to (node-guarded-fetch.ts). */
  readonly send: HookTransport;
  #drainRequested = false;

  constructor(ports: Pick<AppPorts, "fetch" | "resolveHost" | "hookTransport">) {
    const runtimeFetch = ports.fetch ?? ((input, init) => fetch(input, init));
    this.fetch = runtimeFetch;
    this.resolveHost = ports.resolveHost;
    this.send = ports.hookTransport ?? ((url, request) => runtimeFetch(url, { ...request, redirect: "manual" }));
  }

  requestDrain(): void {
    this.#drainRequested = true;
  }

  /** Deliveries were queued and no response has taken them yet. */
  get drainRequested(): boolean {
    return this.#drainRequested;
  }

  /** True once per batch of queued deliveries. */
  takeDrainRequest(): boolean {
    const requested = this.#drainRequested;
    this.#drainRequested = false;
    return requested;
  }
}
