package io.socksgw.plugins.rules;

import io.socksgw.plugins.match.RequestMatcher;

/**
 * One entry of {@code rules}, validated.
 *
 * @param name the rule's unique name, reported as the route's rule
 * @param matcher its {@code match} block
 * @param via where matching requests go
 */
record RuleSpec(String name, RequestMatcher matcher, Via via) {}
