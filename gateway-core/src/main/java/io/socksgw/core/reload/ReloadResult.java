package io.socksgw.core.reload;

import io.socksgw.core.config.ConfigProblem;
import java.util.List;
import org.slf4j.Logger;

/**
 * What a reload did: applied (with a one-line summary, and the changed settings that wait for a
 * restart), or rejected with every problem found, the previous configuration still serving.
 *
 * @param problems why it was rejected; empty when applied
 * @param summary the "reloaded: ..." line when applied, else the "reload rejected: ..." line
 * @param restartRequired settings that changed but apply only after a restart (e.g. {@code socksgw.dns})
 */
public record ReloadResult(List<ConfigProblem> problems, String summary, List<String> restartRequired) {

    public ReloadResult {
        problems = List.copyOf(problems);
        restartRequired = List.copyOf(restartRequired);
    }

    static ReloadResult applied(String summary, List<String> restartRequired) {
        return new ReloadResult(List.of(), summary, restartRequired);
    }

    /** Rejected: {@code problems} must not be empty. */
    public static ReloadResult rejected(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejected reload needs a problem");
        }
        return new ReloadResult(problems, "reload rejected: " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "; still serving the previous configuration", List.of());
    }

    /** Whether the new configuration now serves new sessions. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * Logs it: applied, the settings waiting for a restart (WARN) and then the summary (INFO);
     * rejected, every problem and then the summary (ERROR). The summary comes last either way
     * ({@code bin/socksgw reload} waits for it).
     */
    public void logTo(Logger log) {
        if (ok()) {
            if (!restartRequired.isEmpty()) {
                log.warn("reload: {} changed but apply only after a restart; the running values stay until then",
                        restartRequired);
            }
            log.info(summary);
            return;
        }
        for (ConfigProblem problem : problems) {
            log.error("reload: {}", problem);
        }
        log.error(summary);
    }
}
