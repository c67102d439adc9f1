package io.socksgw.core.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param path the config path, e.g. {@code socksgw.listeners.0.port}
 * @param problem what is wrong and what was expected
 * @param origin where in which file, when known (e.g. {@code socksgw.conf: 12})
 */
public record ConfigProblem(String path, String problem, String origin) {

    @Override
    public String toString() {
        return path + ": " + problem + (origin.isEmpty() ? "" : " (" + origin + ")");
    }
}
