package io.socksgw.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A PEM file as read at start-up (or reload): the text is part of equality, so a reload notices a
 * rotated certificate even when its path is unchanged; it never appears in {@link #toString()}.
 *
 * @param path where it was read from (absolute, for messages)
 * @param text its content
 */
public record PemFile(Path path, String text) {

    public PemFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
