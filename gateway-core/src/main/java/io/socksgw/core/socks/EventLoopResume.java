package io.socksgw.core.socks;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Brings the result of a plugin call back onto the channel's event loop, without a task hop when it
 * already completed there.
 */
final class EventLoopResume {

    private EventLoopResume() {}

    static <T> void onLoop(CompletionStage<T> stage, EventLoop loop, BiConsumer<T, Throwable> action) {
        stage.whenComplete((value, error) -> {
            if (loop.inEventLoop()) {
                action.accept(value, error);
            } else {
                loop.execute(() -> action.accept(value, error));
            }
        });
    }
}
