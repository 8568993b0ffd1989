// The top-level folder an archive is re-packed under. Composer strips it when it extracts, but
// other tools (unzip, a browser download) do not: it is built from the package name and the
// normalized version, reduced to [a-z0-9._-], and never from the raw version in the URL.
export function repackFolder(packageName: string, versionNormalized: string): string {
  return safeSlug(`${packageName.replace("/", "-")}-${versionNormalized}`);
}

/** One path segment: only [a-z0-9._-], no "..", never starting with "." or "-", at most 120 characters. */
export function safeSlug(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .slice(0, 120)
    .replace(/^[.-]+|[.-]+$/g, "");
  return slug || "package";
}
