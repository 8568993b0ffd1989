// Which repository URLs a package may have. Admins and maintainers may point at private or
// loopback hosts (a company's internal git server), but local disk is off unless the operator
// allows it: an API user must not make the server read its own files.
import { SCP_LIKE } from "../composer-rules/git-url.ts";
import { badRequest } from "../http/errors.ts";

// On top of git's scp-like shape, a package's scp-like URL names its user and keeps to plain
// path characters.
const PLAIN_USER = /^[A-Za-z0-9._-]+@/;
const PLAIN_PATH = /^[A-Za-z0-9._~\/-]+$/;

export function checkRepositoryUrl(raw: string, allowLocal: boolean): string {
  const url = raw.trim();
  if (url.length === 0 || url.length > 2048) throw badRequest('"repository" must be a git URL.', "invalid_repository");
  // Composer rejects urls that start with "-": they would be read as git options.
  if (url.startsWith("-") || /[\s\0]/.test(url)) throw badRequest('"repository" is not a valid git URL.', "invalid_repository");
  // Repository options are set with "type" and the path options, never smuggled in the URL.
  if (url.includes("#vcs=")) throw badRequest('"repository" must not carry "#vcs=": use "type" and the path options.', "invalid_repository");
  const scp = SCP_LIKE.exec(url);
  if (scp && PLAIN_USER.test(url) && PLAIN_PATH.test(scp[2]!)) return url;
  const isLocal = url.startsWith("file:") || url.startsWith("/") || url.startsWith(".");
  if (isLocal) {
    if (!allowLocal) throw badRequest("Local repositories are disabled on this server (SATCHEL_ALLOW_LOCAL_REPOS=1 enables them).", "local_repository_refused");
    return url;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('"repository" is not a valid git URL (https://, ssh://, git:// or git@host:path).', "invalid_repository");
  }
  if (!["https:", "http:", "ssh:", "git:", "svn:", "svn+ssh:"].includes(parsed.protocol) || !parsed.hostname) {
    throw badRequest(`Repository URLs with ${parsed.protocol} are not supported (https://, ssh://, git://, svn://, svn+ssh:// or git@host:path).`, "invalid_repository");
  }
  return url;
}
