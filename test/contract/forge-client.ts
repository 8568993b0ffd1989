// The contract suites' side of test/support/fake-forge.ts (plain fetch: workerd and Node alike).
export class ForgeClient {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  async #control(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.url}/_control/${path}`, { method: "POST", body: JSON.stringify(body) });
    if (response.status !== 204) throw new Error(`forge control ${path}: ${response.status}`);
  }
  file(provider: string, repo: string, ref: string, content: string, path = "composer.lock"): Promise<void> {
    return this.#control("file", { provider, repo, ref, path, content });
  }
  defaultBranch(provider: string, repo: string, defaultBranch: string): Promise<void> {
    return this.#control("repo", { provider, repo, defaultBranch });
  }
  comment(provider: string, repo: string, number: number, body: string): Promise<void> {
    return this.#control("comment", { provider, repo, number, body });
  }
  async comments(provider: string, repo: string, number: number): Promise<{ id: number; body: string }[]> {
    return (await (await fetch(`${this.url}/_control/comments?provider=${provider}&repo=${encodeURIComponent(repo)}&number=${number}`)).json()) as { id: number; body: string }[];
  }
  async requests(provider: string): Promise<{ method: string; path: string; body: string }[]> {
    return (await (await fetch(`${this.url}/_control/requests?provider=${provider}`)).json()) as { method: string; path: string; body: string }[];
  }
}
