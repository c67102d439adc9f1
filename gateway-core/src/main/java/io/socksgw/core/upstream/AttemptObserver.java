package io.socksgw.core.upstream;

import io.socksgw.api.Failure;
import io.socksgw.api.route.Chain;

/** Told how each candidate chain of a route fared (for events and router health callbacks). */
public interface AttemptObserver {

    void succeeded(Chain chain);

    void failed(Chain chain, Failure failure);
}
