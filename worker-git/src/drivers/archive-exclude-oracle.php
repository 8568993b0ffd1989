<?php
// Differential oracle for archive-filter.test.ts: Composer's own ComposerExcludeFilter decides,
// for each case's rules, whether each path ("/"-rooted, as ArchivableFilesFinder passes it) is
// excluded. Reads [{rules, paths}] as JSON on stdin, writes [[bool, ...], ...].
declare(strict_types=1);

require getenv('COMPOSER_AUTOLOAD') ?: '/usr/share/php/Composer/autoload.php';

use Composer\Package\Archiver\ComposerExcludeFilter;

$cases = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$out = [];
foreach ($cases as $case) {
    $filter = new ComposerExcludeFilter(sys_get_temp_dir(), $case['rules']);
    $row = [];
    foreach ($case['paths'] as $path) {
        $row[] = @$filter->filter($path, false);
    }
    $out[] = $row;
}
echo json_encode($out, JSON_THROW_ON_ERROR);
