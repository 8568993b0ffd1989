<?php declare(strict_types=1);
// Differential-test oracle: Composer's own VcsRepository (Debian's /usr/share/php/Composer) over
// local git repositories, with the loader Packagist's updater sets on it:
// `new ValidatingArrayLoader(new ArrayLoader())`, default flags (0: no unbound/exact-constraint
// warnings, so branches with such requirements are kept).
// Reads {"repositories": [<path> | {"url", "type", ...repository options}, ...], "cacheDir": <dir>}
// on stdin (a bare path is {"type": "vcs", "url": <path>}) and writes, for each repository,
// {"url", "packages": [ArrayDumper output, ...] | null, "error": <message> | null}.
// Alias packages (branch aliases, default-branch aliases) are client-side and left out.
//
// One documented adjustment: Composer >= 2.7.8 (composer/composer#12042) publishes a `#` in a
// branch name as `+`; Debian's Composer predates that, so it is applied to its output here.

use Composer\Config;
use Composer\IO\NullIO;
use Composer\Package\AliasPackage;
use Composer\Package\Dumper\ArrayDumper;
use Composer\Package\Loader\ArrayLoader;
use Composer\Package\Loader\ValidatingArrayLoader;
use Composer\Repository\VcsRepository;
use Composer\Util\ErrorHandler;
use Composer\Util\HttpDownloader;

require getenv('COMPOSER_AUTOLOAD') ?: '/usr/share/php/Composer/autoload.php';

// As the composer CLI does: PHP warnings become exceptions.
ErrorHandler::register();

$request = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$cacheDir = $request['cacheDir'];

$io = new NullIO();
$config = new Config(false);
$config->merge(['config' => [
    'home' => $cacheDir,
    'cache-dir' => $cacheDir,
    'cache-vcs-dir' => $cacheDir . '/vcs',
    'cache-repo-dir' => $cacheDir . '/repo',
    'secure-http' => false,
]]);
$http = new HttpDownloader($io, $config);
$dumper = new ArrayDumper();

$replies = [];
foreach ($request['repositories'] as $repoConfig) {
    $repoConfig = is_string($repoConfig) ? ['type' => 'vcs', 'url' => $repoConfig] : $repoConfig;
    $url = $repoConfig['url'];
    $started = microtime(true);
    $reply = ['url' => $url, 'packages' => null, 'error' => null];
    try {
        $repository = new VcsRepository($repoConfig, $io, $config, $http);
        $repository->setLoader(new ValidatingArrayLoader(new ArrayLoader()));
        $packages = [];
        foreach ($repository->getPackages() as $package) {
            if ($package instanceof AliasPackage) {
                continue;
            }
            $dump = $dumper->dump($package);
            if (strpos($dump['version'], 'dev-') === 0) {
                $dump['version'] = str_replace('#', '+', $dump['version']);
                $dump['version_normalized'] = str_replace('#', '+', $dump['version_normalized']);
            }
            $packages[] = $dump;
        }
        $reply['packages'] = $packages;
    } catch (\Throwable $e) {
        $reply['error'] = get_class($e) . ': ' . $e->getMessage();
    }
    $reply['seconds'] = microtime(true) - $started;
    $replies[] = $reply;
}

echo json_encode($replies, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR);
