<?php
// Prints the PHP version (runtime/php.ts phpVersion()).
echo PHP_VERSION, "\n";
