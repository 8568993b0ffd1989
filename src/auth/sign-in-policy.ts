// Who may sign in with a password: service accounts never (whatever their row holds), and
// nobody where password sign-in is turned off for them or for everyone.

/** The hash a password sign-in is checked against: none for a service account, whatever its row holds. */
export function signInHash(user: { kind: string; passwordHash: string | null } | undefined): string | null {
  return user && user.kind !== "service" ? user.passwordHash : null;
}

/** Why a right password still does not sign this user in (turned off for them or for everyone); null when it does. */
export function passwordSignInRefusal(config: { passwordSignIn?: boolean }, user: { passwordSignIn: boolean }): string | null {
  if (config.passwordSignIn === false) return "Password sign-in is turned off here: sign in with your identity provider.";
  return user.passwordSignIn ? null : "Password sign-in is turned off for this account: sign in with your identity provider.";
}
