package io.socksgw.core.config;

import com.typesafe.config.Config;

/**
 * One configured plugin instance: which factory, under which name, with which block.
 *
 * @param factoryName the factory's {@code name()}, from the entry's {@code plugin} key
 * @param instanceName the entry's {@code name}, or the factory name when absent
 * @param config the entry without its {@code plugin} and {@code name} keys, over the plugin's defaults
 * @param path where the entry sits in the file, e.g. {@code socksgw.authenticators.0}, for messages
 */
public record PluginSpec(String factoryName, String instanceName, Config config, String path) {}
