<?php
// Differential-test oracle: runs Composer's own composer/semver on the corpus written by
// semver.test.ts and writes what PHP says, so the TypeScript port can be compared case by case.
// Usage: php semver-oracle.php in.json out.json   (SEMVER_AUTOLOAD overrides the autoloader path)

declare(strict_types=1);

$autoload = getenv('SEMVER_AUTOLOAD') ?: '/usr/share/php/Composer/Semver/autoload.php';
require $autoload;

use Composer\Semver\Semver;
use Composer\Semver\VersionParser;

if ($argc !== 3) {
    fwrite(STDERR, "usage: php semver-oracle.php in.json out.json\n");
    exit(2);
}

$in = json_decode((string) file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$parser = new VersionParser();

/** Runs $fn, turning any exception into ["error" => message] like the TS side does. */
function attempt(callable $fn): array
{
    try {
        return ['ok' => $fn()];
    } catch (\Throwable $e) {
        return ['error' => $e->getMessage()];
    }
}

$out = [
    'normalize' => [],
    'stability' => [],
    'numericAlias' => [],
    'branch' => [],
    'compare' => [],
    'constraints' => [],
    'satisfies' => [],
    'sort' => [],
];

foreach ($in['versions'] as $v) {
    $out['normalize'][] = attempt(fn () => $parser->normalize($v));
    $out['stability'][] = VersionParser::parseStability($v);
    $out['numericAlias'][] = $parser->parseNumericAliasPrefix($v);
    $out['branch'][] = $parser->normalizeBranch($v);
}
foreach ($in['compare'] as [$a, $b]) {
    $out['compare'][] = version_compare($a, $b);
}
foreach ($in['constraints'] as $c) {
    $out['constraints'][] = attempt(function () use ($parser, $c) {
        $parsed = $parser->parseConstraints($c);
        return [(string) $parsed, $parsed->getPrettyString()];
    });
}
foreach ($in['satisfies'] as [$version, $constraint]) {
    $out['satisfies'][] = attempt(fn () => Semver::satisfies($version, $constraint));
}
foreach ($in['sort'] as $list) {
    $out['sort'][] = attempt(fn () => [Semver::sort($list), Semver::rsort($list)]);
}

$json = json_encode($out, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES);
if ($json === false) {
    fwrite(STDERR, 'json_encode failed: ' . json_last_error_msg() . "\n");
    exit(1);
}
file_put_contents($argv[2], $json);
