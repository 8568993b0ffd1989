// A small typed client over app.request() for the contract suite.
import type { SatchelApp } from "../../src/app.ts";
import { basic, json, packageZip, TEST_CONFIG, unique } from "./harness.ts";

export class Client {
  readonly app: SatchelApp;
  constructor(app: SatchelApp) {
    this.app = app;
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return Promise.resolve(this.app.request(`https://repo.example.test${path}`, init));
  }

  async adminToken(): Promise<string> {
    return this.passwordToken(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
  }

  async passwordToken(username: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await this.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username, password, ...extra }) });
    if (response.status !== 201) throw new Error(`token for ${username}: ${response.status} ${await response.text()}`);
    return (await json<{ token: string }>(response)).token;
  }

  async api<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown, expected = [200, 201, 202, 204]): Promise<T> {
    const response = await this.request(path, {
      method,
      headers: { ...basicFor(token), "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? ({} as T) : json<T>(response);
  }

  upload(token: string, name: string, version: string, zip: Uint8Array): Promise<Response> {
    return this.request(`/api/packages/upload/${name}/${version}`, {
      method: "PUT",
      headers: { ...basicFor(token), "content-type": "application/zip" },
      body: zip,
    });
  }

  async uploadOk(token: string, name: string, version: string, composer: Record<string, unknown> = {}): Promise<{ reference: string }> {
    const response = await this.upload(token, name, version, packageZip({ name, description: `${name} package`, ...composer }));
    if (response.status !== 201) throw new Error(`upload ${name} ${version}: ${response.status} ${await response.text()}`);
    return json<{ reference: string }>(response);
  }

  /** Creates a user (ROLE_USER unless roles say otherwise) and returns a token for them. */
  async customer(adminToken: string, options: { groups?: number[]; roles?: string[]; expiredUpdatesAt?: string } = {}) {
    const username = unique("cust");
    const password = "customer-password";
    const user = await this.api<{ id: number }>(adminToken, "POST", "/api/users", {
      username,
      password,
      roles: options.roles ?? ["ROLE_USER"],
      groups: options.groups ?? [],
      ...(options.expiredUpdatesAt ? { expiredUpdatesAt: options.expiredUpdatesAt } : {}),
    });
    const token = await this.passwordToken(username, password);
    return { id: user.id, username, password, token };
  }

  async group(adminToken: string, packages: { name: string; version?: string }[], expiredUpdatesAt?: string): Promise<number> {
    const group = await this.api<{ id: number }>(adminToken, "POST", "/api/groups", { name: unique("group"), packages, ...(expiredUpdatesAt ? { expiredUpdatesAt } : {}) });
    return group.id;
  }

  /** p2 versions (minified list expanded enough for version checks). */
  async p2Versions(username: string, token: string, name: string, dev = false): Promise<string[] | number> {
    const response = await this.request(`/p2/${name}${dev ? "~dev" : ""}.json`, { headers: basic(username, token) });
    if (response.status !== 200) return response.status;
    const body = await json<{ packages: Record<string, { version?: string }[]> }>(response);
    return (body.packages[name] ?? []).map((entry) => entry.version ?? "?");
  }
}

/** The admin's username is "admin"; every other token is sent as Bearer. */
function basicFor(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
