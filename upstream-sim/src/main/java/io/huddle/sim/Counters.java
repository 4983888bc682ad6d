package io.huddle.sim;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The call counters behind {@link UpstreamCalls}. Thread-safe. */
final class Counters {
    private final Map<Route, LongAdder> byRoute = new EnumMap<>(Route.class);
    private final LongAdder total = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder faults = new LongAdder();

    Counters() {
        for (Route route : Route.values()) {
            byRoute.put(route, new LongAdder());
        }
    }

    void call(Route route) {
        total.increment();
        byRoute.get(route).increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void fault() {
        faults.increment();
    }

    UpstreamCalls snapshot(int maxAcceptedInAnyMinute) {
        Map<String, Long> routes = new HashMap<>();
        byRoute.forEach((route, count) -> routes.put(route.template, count.sum()));
        return new UpstreamCalls(total.sum(), routes, rateLimited.sum(), faults.sum(), maxAcceptedInAnyMinute);
    }

    void reset() {
        total.reset();
        rateLimited.reset();
        faults.reset();
        byRoute.values().forEach(LongAdder::reset);
    }
}
