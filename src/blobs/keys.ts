// Every blob key is built here, from names that already passed the package-name rule and
// references that passed REFERENCE_PATTERN: no user string reaches a key unchecked.
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const distKey = (packageName: string, reference: string) => `dist/${packageName}/${reference}.zip`;
export const metadataDocKey = (packageName: string, contentHash: string) => `p2/${packageName}/${contentHash}.json`;
export const metadataViewKey = (packageName: string, contentHash: string) => `p2-views/${packageName}/${contentHash}.json`;
