// What `satchel import` reads before it creates anything: a list of repository URLs, or a
// satis.json. A source that does not parse is refused whole, with the reason.

export interface ImportPlan {
  repositories: string[];
  /** What the source asks for that Satchel does differently, said once before the import. */
  notes: string[];
}

export class ImportSourceError extends Error {}

/** One repository URL per line; blank lines and `#` comments are skipped. */
export function parseList(text: string): ImportPlan {
  const repositories: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (/\s/.test(line) || line.length > 2048) throw new ImportSourceError(`line ${i + 1} is not one repository URL: ${JSON.stringify(line.slice(0, 100))}`);
    repositories.push(line);
  });
  if (repositories.length === 0) throw new ImportSourceError("the list names no repository");
  return { repositories: [...new Set(repositories)], notes: [] };
}

// Satis repository types that are a VCS repository Satchel reads with its git worker.
const VCS_TYPES = new Set(["vcs", "git", "github", "gitlab", "bitbucket", "git-bitbucket"]);

/** A satis.json: its VCS repositories; its require filter and archive settings become notes. */
export function parseSatis(text: string): ImportPlan {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new ImportSourceError(`satis.json is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof config !== "object" || config === null || !Array.isArray((config as { repositories?: unknown }).repositories)) {
    throw new ImportSourceError('satis.json has no "repositories" array');
  }
  const { repositories: entries, require, "require-all": requireAll, archive } = config as { repositories: unknown[]; require?: unknown; "require-all"?: unknown; archive?: unknown };
  const repositories: string[] = [];
  const notes: string[] = [];
  entries.forEach((entry, i) => {
    const { type, url } = (entry ?? {}) as { type?: unknown; url?: unknown };
    if (typeof type !== "string" || typeof url !== "string" || url.trim() === "") throw new ImportSourceError(`repositories[${i}] needs a "type" and a "url"`);
    if (VCS_TYPES.has(type)) repositories.push(url.trim());
    else notes.push(`repositories[${i}] (${type} ${url}) is not a VCS repository: not imported${type === "composer" ? " (add it as an upstream: POST /api/upstreams)" : ""}`);
  });
  if (require && typeof require === "object" && requireAll !== true) {
    notes.push(`satis.json requires only ${Object.keys(require).join(", ")}: Satchel imports every package of these repositories; customers see what their groups grant`);
  }
  if (archive && typeof archive === "object") notes.push("archive settings: Satchel builds a zipball per version itself (the archive directory, format and skip-dev are not used)");
  if (repositories.length === 0) throw new ImportSourceError("satis.json names no VCS repository");
  return { repositories: [...new Set(repositories)], notes };
}
