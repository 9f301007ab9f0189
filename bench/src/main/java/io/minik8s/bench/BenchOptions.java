package io.minik8s.bench;

/**
 * The options every benchmark sees.
 *
 * @param smoke run a few iterations only (the test run uses this so that no benchmark rots)
 * @param root the repository root, where the component jars are
 */
record BenchOptions(boolean smoke, java.nio.file.Path root) {}
