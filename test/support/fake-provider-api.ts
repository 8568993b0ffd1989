// What the local stand-ins for GitHub, GitLab, Gitea and Bitbucket Cloud share (fake-forge.ts:
// repository files and pull-request comments; forge-org-api.ts: organizations, hooks, teams):
// one HTTP server that reads the whole body, logs every API call with the status it got, and
// answers JSON; each provider's token form; and page slicing. `/_control/*` calls drive the
// fixtures and are not logged.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProviderKind = "github" | "gitlab" | "gitea" | "bitbucket";

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Exchange {
  /** Names the host the client called, as the providers' own page links do. */
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** JSON (none for 204 and 304), logged unless this is a control call. */
  reply(status: number, json?: unknown, headers?: Record<string, string>): void;
  /** A raw answer (file contents), logged the same way. */
  replyRaw(status: number, text: string, headers: Record<string, string>): void;
}

export interface FakeApiServer {
  url: string;
  /** The API calls so far, oldest first. */
  log: LoggedRequest[];
  close(): Promise<void>;
}

export async function startFakeApiServer(handle: (exchange: Exchange) => void): Promise<FakeApiServer> {
  const log: LoggedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const exchange = exchangeOf(request, Buffer.concat(chunks).toString("utf8"), response, log);
      try {
        handle(exchange);
      } catch (error) {
        exchange.reply(500, { message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function exchangeOf(request: IncomingMessage, body: string, response: ServerResponse, log: LoggedRequest[]): Exchange {
  const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "127.0.0.1"}`);
  const method = request.method ?? "GET";
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  const record = (status: number) => {
    if (!url.pathname.startsWith("/_control/")) log.push({ method, path: url.pathname + url.search, status, headers, body });
  };
  return {
    url,
    method,
    headers,
    body,
    reply(status, json, extra = {}) {
      record(status);
      const empty = json === undefined || status === 204 || status === 304;
      response.writeHead(status, { ...(empty ? {} : { "content-type": "application/json; charset=utf-8" }), ...extra });
      response.end(empty ? undefined : JSON.stringify(json));
    },
    replyRaw(status, text, extra) {
      record(status);
      response.writeHead(status, extra);
      response.end(text);
    },
  };
}

/** The token a request presents in the provider's documented form, or null without one. */
export function presentedToken(provider: ProviderKind, headers: Record<string, string>): string | null {
  const authorization = headers.authorization ?? "";
  switch (provider) {
    case "github":
    case "bitbucket":
      return /^Bearer (\S+)$/.exec(authorization)?.[1] ?? null;
    case "gitea":
      return /^token (\S+)$/.exec(authorization)?.[1] ?? null;
    case "gitlab":
      return headers["private-token"] || null;
  }
}

/** Page `number` (from 1) of `size` items, and the next page's number if there is one. */
export function pageOf<T>(items: T[], number: number, size: number): { items: T[]; next: number | null } {
  return { items: items.slice((number - 1) * size, number * size), next: number * size < items.length ? number + 1 : null };
}

/** The `page` query parameter, 1 when absent. */
export const pageNumber = (url: URL): number => Number(url.searchParams.get("page") ?? "1");

/** A Link header naming the next page (GitHub, Gitea), or none on the last page. */
export const nextLink = (next: string | null): Record<string, string> => (next ? { link: `<${next}>; rel="next"` } : {});
