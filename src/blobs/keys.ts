// Every blob key is built here, from names that already passed the package-name rule and
// references that passed REFERENCE_PATTERN: no user string reaches a key unchecked.
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const distKey = (packageName: string, reference: string) => `dist/${packageName}/${reference}.zip`;
export const metadataDocKey = (packageName: string, contentHash: string) => `p2/${packageName}/${contentHash}.json`;
/** When each version of a stored document was first published (the freeze's clock), beside it. */
export const publishedTimesKey = (docKey: string) => `p2-published/${docKey.slice("p2/".length)}`;
/** Versions a stored document leaves out (flagged, or a plugin not allowed), beside it: what answers 410. */
export const withheldVersionsKey = (docKey: string) => `p2-withheld/${docKey.slice("p2/".length)}`;
/** Views sit in a folder named for their source document, so garbage collection can tell which document each was derived from. */
export const metadataViewKey = (packageName: string, docKey: string, contentHash: string) => `p2-views/${packageName}/${documentHash(docKey)}/${contentHash}.json`;
/** The content hash part of a `p2/` document key. */
export const documentHash = (docKey: string) => docKey.slice(docKey.lastIndexOf("/") + 1, -".json".length);
/** The Last-Modified record of one derived view (a p2 view or a customer's packages.json). */
export const viewClockKey = (scopeHash: string) => `view-clocks/${scopeHash}.txt`;

// Mirrored upstream content lives in its own key space, per upstream, so that a mirrored name
// can never overwrite or be read as a private package's blobs.
export const mirrorDocKey = (upstreamId: number, packageName: string, contentHash: string) => `mirror/${upstreamId}/p2/${packageName}/${contentHash}.json`;
export const mirrorDistsKey = (upstreamId: number, packageName: string, contentHash: string) => `mirror/${upstreamId}/dists/${packageName}/${contentHash}.json`;
export const mirrorDistKey = (upstreamId: number, packageName: string, reference: string) => `mirror/${upstreamId}/zip/${packageName}/${reference}.zip`;
export const mirrorAdvisoriesKey = (upstreamId: number, packageName: string) => `mirror/${upstreamId}/advisories/${packageName}.json`;
