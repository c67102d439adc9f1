package io.socksgw.plugins.rules;

import java.util.List;

/**
 * One entry of {@code groups}, validated.
 *
 * @param name the group's name
 * @param chains the names of its chains, in configuration order, each a configured chain
 * @param strategy how it orders them
 */
record GroupSpec(String name, List<String> chains, GroupStrategy strategy) {

    GroupSpec {
        chains = List.copyOf(chains);
    }
}
