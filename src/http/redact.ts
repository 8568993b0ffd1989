// Credentials embedded in URLs never reach a log, a job result or an API answer:
// `https://user:token@host` and `https://token@host` lose their userinfo; for ssh and git URLs
// only a password is hidden (`ssh://git@host` names a login, not a secret).
export function redactUrl(text: string): string {
  return text
    .replace(/\b(https?:\/\/)[^/@\s]+@/gi, "$1***@")
    .replace(/\b((?:ssh|git|ftp):\/\/[^/@\s:]+):[^/@\s]+@/gi, "$1:***@");
}
