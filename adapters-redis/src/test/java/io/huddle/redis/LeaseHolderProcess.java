package io.huddle.redis;

import io.huddle.core.SharedCache;
import io.huddle.core.api.Loaded;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A server that takes the lease of a key and then hangs in its loader, for the test that kills it:
 * {@code LeaseHolderProcess <redis uri> <key prefix> <lease millis> <id>}. It prints {@code loading}
 * once its loader runs (it then holds the lease) and never finishes.
 */
public final class LeaseHolderProcess {
    static final String LOADING = "loading";

    private LeaseHolderProcess() {}

    public static void main(String[] args) throws Exception {
        RedisHuddle port = RedisHuddle.builder()
                .uri(URI.create(args[0]))
                .keyPrefix(args[1])
                .leaseTime(Duration.ofMillis(Long.parseLong(args[2])))
                .build();
        SharedCache server = SharedCache.builder(port.cachePort())
                .coordinator(port.loadCoordinator())
                .build();
        CountDownLatch never = new CountDownLatch(1);
        server.get(Servers.PLAYERS, args[3], id -> {
            System.out.println(LOADING);
            System.out.flush();
            never.await();
            return Loaded.of("from the server that was killed");
        });
    }
}
