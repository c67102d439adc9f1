/** Observation: what happened to each session. See {@link io.socksgw.api.event.SessionListener}. */
package io.socksgw.api.event;
