// The blob store could not be reached (an object-storage endpoint down or too slow): the app
// answers 503 with Retry-After, and nothing that depends on the blob is written.
export class BlobStoreUnavailable extends Error {}
