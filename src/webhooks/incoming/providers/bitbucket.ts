// One endpoint for Bitbucket Cloud and Bitbucket Server: X-Event-Key tells them apart. Both
// sign the raw body as X-Hub-Signature `sha256=<hex>` when the hook has a secret.
import { CLOUD_EVENTS, interpretCloudEvent } from "./bitbucket-cloud.ts";
import { interpretServerEvent, SERVER_EVENTS } from "./bitbucket-server.ts";
import { header, hexSignature, unsupportedEvent, type IncomingProvider } from "./provider.ts";

export const bitbucket: IncomingProvider = {
  id: "bitbucket",
  event: (headers) => header(headers, "x-event-key"),
  // Cloud: X-Request-UUID; Server: X-Request-Id.
  deliveryId: (headers) => header(headers, "x-request-uuid", "x-request-id"),
  proofHeader: "X-Hub-Signature",
  proof: (headers) => hexSignature(header(headers, "x-hub-signature"), "sha256="),
  interpret(event, payload) {
    if (CLOUD_EVENTS.includes(event)) return interpretCloudEvent(event, payload);
    if (SERVER_EVENTS.includes(event)) return interpretServerEvent(event, payload);
    return unsupportedEvent("Bitbucket", event, [...CLOUD_EVENTS, ...SERVER_EVENTS]);
  },
};
