// Global setup for the workerd tests: the webhook receiver runs in Node beside workerd, and
// its URL is provided to the tests (inject("hookReceiverUrl")).
import type { TestProject } from "vitest/node";
import { startHookReceiver } from "../support/hook-receiver.ts";

export default async function setup(project: TestProject) {
  const receiver = await startHookReceiver();
  project.provide("hookReceiverUrl", receiver.url);
  return () => receiver.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    hookReceiverUrl: string;
  }
}
