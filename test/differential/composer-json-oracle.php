<?php declare(strict_types=1);
// Differential-test oracle: Composer's own code, fed the corpus the TypeScript ports are checked on.
// One process for the whole corpus. Reads a JSON request on stdin, writes a JSON reply on stdout.
//
//   {"mode": "validate", "cases": [{"id", "json": "<composer.json text>", "facts": {...}}]}
//     -> [{"id", "valid", "errors", "warnings", "crash", "dump"}]
//     ValidatingArrayLoader (CHECK_ALL) over an ArrayLoader that first puts in the repository's
//     facts (version, source, dist, release time, default branch); ArrayDumper's output when valid.
//   {"mode": "minify", "cases": [{"id", "json": "<list of versions>"}]}
//     -> [{"id", "minified", "expanded"}] from composer/metadata-minifier.

use Composer\MetadataMinifier\MetadataMinifier;
use Composer\Package\AliasPackage;
use Composer\Package\BasePackage;
use Composer\Package\Dumper\ArrayDumper;
use Composer\Package\Loader\ArrayLoader;
use Composer\Package\Loader\InvalidPackageException;
use Composer\Package\Loader\LoaderInterface;
use Composer\Package\Loader\ValidatingArrayLoader;
use Composer\Util\ErrorHandler;

$autoload = getenv('COMPOSER_AUTOLOAD') ?: '/usr/share/php/Composer/autoload.php';
require $autoload;

// As the composer CLI does: PHP warnings (e.g. foreach over a string) become exceptions.
ErrorHandler::register();

final class FactsLoader implements LoaderInterface
{
    /** @var array<string, mixed> */
    public $facts = [];
    /** @var ArrayLoader */
    private $inner;

    public function __construct()
    {
        $this->inner = new ArrayLoader();
    }

    public function load(array $config, string $class = 'Composer\Package\CompletePackage'): BasePackage
    {
        $facts = $this->facts;
        $config['version'] = $facts['version'];
        $config['version_normalized'] = $facts['version_normalized'];
        unset($config['source'], $config['dist'], $config['default-branch']);
        foreach (['source', 'dist'] as $key) {
            if (isset($facts[$key])) {
                $config[$key] = $facts[$key];
            }
        }
        if (!empty($facts['default_branch'])) {
            $config['default-branch'] = true;
        }
        if (!isset($config['time']) && isset($facts['time'])) {
            $config['time'] = $facts['time'];
        }

        return $this->inner->load($config, $class);
    }
}

function validateCase(array $case): array
{
    $result = ['id' => $case['id'], 'valid' => false, 'errors' => [], 'warnings' => [], 'crash' => null, 'dump' => null];
    $factsLoader = new FactsLoader();
    $factsLoader->facts = $case['facts'];
    $loader = new ValidatingArrayLoader($factsLoader, true, null, ValidatingArrayLoader::CHECK_ALL);
    try {
        $config = json_decode($case['json'], true, 512, JSON_THROW_ON_ERROR);
        if (!is_array($config)) {
            throw new \UnexpectedValueException('composer.json is not an object');
        }
        $package = $loader->load($config);
        if ($package instanceof AliasPackage) {
            $package = $package->getAliasOf();
        }
        $result['valid'] = true;
        $result['warnings'] = $loader->getWarnings();
        $result['dump'] = (new ArrayDumper())->dump($package);
    } catch (InvalidPackageException $e) {
        $result['errors'] = $e->getErrors();
        $result['warnings'] = $e->getWarnings();
    } catch (\Throwable $e) {
        $result['crash'] = get_class($e) . ': ' . $e->getMessage();
    }

    return $result;
}

function minifyCase(array $case): array
{
    $versions = json_decode($case['json'], true, 512, JSON_THROW_ON_ERROR);
    $minified = MetadataMinifier::minify($versions);

    return ['id' => $case['id'], 'minified' => $minified, 'expanded' => MetadataMinifier::expand($minified)];
}

$request = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$handler = $request['mode'] === 'minify' ? 'minifyCase' : 'validateCase';
$replies = array_map($handler, $request['cases']);
echo json_encode($replies, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE);
