// A minimal browser for in-process page tests: keeps cookies, reads the CSRF token out of the
// last page, posts forms with the Origin a browser sends.
import type { SatchelApp } from "../../src/app.ts";

export interface PageResponse {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class PageClient {
  readonly #app: SatchelApp;
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();
  readonly #headers: Record<string, string>;
  lastBody = "";

  /** `headers` go with every request (e.g. `cf-connecting-ip` to act as another client address). */
  constructor(app: SatchelApp, origin = "https://repo.example.test", headers: Record<string, string> = {}) {
    this.#app = app;
    this.#origin = origin;
    this.#headers = headers;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Sets a cookie as an attacker would (no Set-Cookie from the server needed). */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  async get(path: string): Promise<PageResponse> {
    return this.#send(path, { method: "GET" });
  }

  /** Posts a form; `_csrf` is taken from the last page unless given. */
  async post(path: string, fields: Record<string, string | string[]>, options: { origin?: string; csrf?: string | null } = {}): Promise<PageResponse> {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf() : options.csrf;
    if (csrf !== null) body.set("_csrf", csrf);
    for (const [name, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    return this.#send(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", origin: options.origin ?? this.#origin } });
  }

  csrf(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.lastBody)?.[1] ?? "";
  }

  async login(username: string, password: string): Promise<PageResponse> {
    await this.get("/login");
    return this.post("/login", { username, password });
  }

  async #send(path: string, init: RequestInit): Promise<PageResponse> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.#headers)) headers.set(name, value);
    if (this.#cookies.size) headers.set("cookie", [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await this.#app.request(`${this.#origin}${path}`, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const body = await response.text();
    if (response.status === 200) this.lastBody = body;
    return { status: response.status, location: response.headers.get("location"), body, headers: response.headers };
  }
}
