// The two p2 documents of a package: tagged releases (`vendor/name.json`) and branches
// (`vendor/name~dev.json`). Shared by the Composer endpoints and the proxy's mirror.
export type DocumentKind = "tags" | "dev";
