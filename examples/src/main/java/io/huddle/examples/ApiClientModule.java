package io.huddle.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.sports.SportsDataPort;
import java.net.URI;
import java.util.Objects;

/**
 * Chooses the balldontlie NFL API (or the simulator standing in for it) as the upstream.
 *
 * <p>Binds {@link SportsDataPort} to a singleton {@link BalldontlieClient} for the base URL and key,
 * sized to the plan's requests per minute, with or without name search. Nothing connects while the
 * module is configured; the key is kept only to build the client.
 */
public final class ApiClientModule extends AbstractModule {
    private final URI baseUrl;
    private final String apiKey;
    private final int requestsPerMinute;
    private final boolean nameSearch;

    /**
     * @param baseUrl the API's scheme, host and port
     * @param apiKey the plan's key
     * @param requestsPerMinute the plan's rate limit
     * @param nameSearch whether the plan has name search
     */
    public ApiClientModule(URI baseUrl, String apiKey, int requestsPerMinute, boolean nameSearch) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.requestsPerMinute = requestsPerMinute;
        this.nameSearch = nameSearch;
    }

    @Provides
    @Singleton
    SportsDataPort sportsDataPort() {
        return BalldontlieClient.builder(baseUrl, apiKey)
                .requestsPerMinute(requestsPerMinute)
                .nameSearch(nameSearch)
                .build();
    }

    @Override
    public String toString() {
        return "ApiClientModule{" + baseUrl + ", " + requestsPerMinute + "/min, nameSearch=" + nameSearch + '}';
    }
}
