// composer.lock documents in the shape Composer 2's Locker writes (the e2e test reads real
// ones made by `composer`; contract suites, which run inside workerd, build them here).
export function composerLock(packages: { name: string; version: string; reference?: string }[], extra: Record<string, unknown> = {}): string {
  const entry = ({ name, version, reference = "0123456789abcdef0123456789abcdef01234567" }: { name: string; version: string; reference?: string }) => ({
    name,
    version,
    source: { type: "git", url: `https://github.com/${name}.git`, reference },
    dist: { type: "zip", url: `https://repo.example.test/zipball/${name}/${reference}.zip`, reference, shasum: "" },
    type: "library",
    time: "2026-01-01T00:00:00+00:00",
  });
  const lock = {
    _readme: ["This file locks the dependencies of your project to a known state", "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies", "This file is @generated automatically"],
    "content-hash": "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
    packages: packages.map(entry),
    "packages-dev": [],
    aliases: [],
    "minimum-stability": "stable",
    "stability-flags": {},
    "prefer-stable": false,
    "prefer-lowest": false,
    platform: {},
    "platform-dev": {},
    "plugin-api-version": "2.6.0",
    ...extra,
  };
  return `${JSON.stringify(lock, null, 4)}\n`;
}
