// The contract suites' side of test/support/hook-receiver.ts (plain fetch, so it runs in
// workerd and Node alike).
import type { RecordedRequest } from "../support/hook-receiver.ts";

export class ReceiverClient {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async script(path: string, responses: { status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> }[]): Promise<void> {
    await fetch(`${this.url}/_control/script`, { method: "POST", body: JSON.stringify({ path, responses }) });
  }

  async requests(path: string): Promise<RecordedRequest[]> {
    return (await (await fetch(`${this.url}/_control/requests?path=${encodeURIComponent(path)}`)).json()) as RecordedRequest[];
  }
}
