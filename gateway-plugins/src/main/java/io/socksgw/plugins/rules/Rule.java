package io.socksgw.plugins.rules;

import io.socksgw.plugins.match.RequestMatcher;

/**
 * A rule ready to route: when {@code matcher} matches, {@code target} answers.
 *
 * @param name the rule's name
 * @param matcher its criteria
 * @param target where matching requests go, with the name already on the route
 */
record Rule(String name, RequestMatcher matcher, RouteTarget target) {}
