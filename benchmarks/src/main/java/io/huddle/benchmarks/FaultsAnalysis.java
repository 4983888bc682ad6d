package io.huddle.benchmarks;

import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The fault run's arithmetic over the servers' upstream events, apart from any process. */
final class FaultsAnalysis {
    private FaultsAnalysis() {}

    /**
     * The most requests within one window of {@code windowMillis} among the windows that end at a
     * request made in {@code [from, to)}; the windows reach back before {@code from}. 0 if no request
     * was made in {@code [from, to)}.
     *
     * @param sortedMillis the times of every request, sorted
     */
    static int maxInWindow(long[] sortedMillis, long windowMillis, long from, long to) {
        int most = 0;
        int first = 0;
        for (int last = 0; last < sortedMillis.length; last++) {
            long end = sortedMillis[last];
            while (sortedMillis[first] <= end - windowMillis) {
                first++;
            }
            if (end >= from && end < to) {
                // requests made in the same millisecond as the last one count in its window too
                int through = last;
                while (through + 1 < sortedMillis.length && sortedMillis[through + 1] == end) {
                    through++;
                }
                most = Math.max(most, through - first + 1);
            }
        }
        return most;
    }

    /** The times of the requests among the events (popular, long tail and other), sorted. */
    static long[] requestTimes(List<UpstreamEvent> events) {
        return events.stream()
                .filter(event -> event.kind().isRequest())
                .mapToLong(UpstreamEvent::atMillis)
                .sorted()
                .toArray();
    }

    /** How many events of the kind happened in {@code [from, to)}. */
    static long count(List<UpstreamEvent> events, EventKind kind, long from, long to) {
        return events.stream()
                .filter(event -> event.kind() == kind && event.atMillis() >= from && event.atMillis() < to)
                .count();
    }

    /**
     * A request for a popular item sent while a server held it fresh.
     *
     * @param request the request
     * @param item the item a server held fresh (the first, if it was for several)
     * @param loaded the call of the provider that had loaded it
     */
    record HeldFresh(UpstreamEvent request, String item, UpstreamEvent loaded) {}

    /**
     * The requests for popular items sent while a server held one of them fresh: an earlier call of
     * the provider (on any server) had loaded the item less than its shortest freshness ago, the ttl
     * less its jitter. Such a request did not need to be sent: a server had the answer, and Redis,
     * had it held the item, would have given it to the others.
     *
     * @param ttlOfItem the ttl of an item's kind, by item ({@code name-2}, {@code stats-2})
     * @param jitter the fraction by which an entry's ttl may be shortened
     */
    static List<HeldFresh> needless(List<UpstreamEvent> events, Function<String, Duration> ttlOfItem, double jitter) {
        List<UpstreamEvent> inOrder = new ArrayList<>(events);
        // a load ending in the same millisecond as a request counts as after it
        inOrder.sort(Comparator.comparingLong(UpstreamEvent::atMillis)
                .thenComparing(event -> event.kind() == EventKind.POPULAR_LOADED));
        Map<String, UpstreamEvent> lastLoad = new HashMap<>();
        List<HeldFresh> needless = new ArrayList<>();
        for (UpstreamEvent event : inOrder) {
            if (event.kind() == EventKind.POPULAR_LOADED) {
                event.items().forEach(item -> lastLoad.put(item, event));
            } else if (event.kind() == EventKind.POPULAR_REQUEST) {
                for (String item : event.items()) {
                    UpstreamEvent loaded = lastLoad.get(item);
                    long shortestFresh = (long) (ttlOfItem.apply(item).toMillis() * (1 - jitter));
                    if (loaded != null && event.atMillis() - loaded.atMillis() < shortestFresh) {
                        needless.add(new HeldFresh(event, item, loaded));
                        break;
                    }
                }
            }
        }
        return needless;
    }

    /**
     * The last call of the provider that loaded one of the request's items before it was sent, if
     * any: what a request that was due (not needless) refreshed.
     */
    static Optional<UpstreamEvent> lastLoadBefore(List<UpstreamEvent> events, UpstreamEvent request) {
        return events.stream()
                .filter(event -> event.kind() == EventKind.POPULAR_LOADED
                        && event.atMillis() < request.atMillis()
                        && event.items().stream().anyMatch(request.items()::contains))
                .max(Comparator.comparingLong(UpstreamEvent::atMillis));
    }
}
