package io.socksgw.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.socksgw.core.testing.LogCapture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a listening socket does when accept() fails; the real fd exhaustion is LauncherE2E's sibling FdExhaustionE2E. */
class AcceptErrorHandlerTest {

    private final AtomicLong failures = new AtomicLong();
    private final EmbeddedChannel listener = new EmbeddedChannel(new AcceptErrorHandler("socks", failures));

    @Test
    void outOfFileDescriptorsPausesAcceptingForASecondThenResumes() {
        listener.freezeTime();
        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));

        listener.checkException(); // taken here, not passed on to the pipeline's tail (which logs each one)
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isTrue();
        assertThat(failures).hasValue(1);
    }

    @Test
    void logsTheLimitOnceThenCountsTheFailuresItDidNotLog() {
        try (LogCapture log = LogCapture.of(AcceptErrorHandler.class)) {
            for (int i = 0; i < 5; i++) {
                listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
                listener.config().setAutoRead(true); // as the resume would
            }

            assertThat(failures).hasValue(5);
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN cannot accept on listener 'socks': too many open files (ulimit -n ")
                    .endsWith("); pausing accepts for 1s");
        }
    }

    @Test
    void recognisesBothDescriptorLimitsAsNioAndEpollWordThem() {
        assertThat(AcceptErrorHandler.outOfDescriptors(new IOException("Too many open files"))).isTrue();
        assertThat(AcceptErrorHandler.outOfDescriptors(new IOException("accept(..) failed: Too many open files in system")))
                .isTrue();
        assertThat(AcceptErrorHandler.outOfDescriptors(new IOException("wrapped", new IOException("Too many open files"))))
                .isTrue();
        assertThat(AcceptErrorHandler.outOfDescriptors(new IOException("Connection reset by peer"))).isFalse();
    }
}
