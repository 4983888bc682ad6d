package io.huddle.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.SportsDataPort;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the balldontlie NFL API (or the simulator standing in for it) as the upstream.
 *
 * <p>Binds {@link SportsDataPort} to a singleton {@link BalldontlieClient} for the base URL and key,
 * with or without name search, and {@link BudgetPlan} to the plan: its requests per minute. The
 * client takes its permits from the {@link UpstreamBudget} another module binds (the Redis module
 * binds one shared by every server on the key), else from a budget of its own in this process,
 * right for a single server. Nothing connects while the module is configured; the key is kept only
 * to build the client.
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

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), UpstreamBudget.class);
    }

    @Provides
    @Singleton
    BudgetPlan plan() {
        return BudgetPlan.perMinute(requestsPerMinute);
    }

    @Provides
    @Singleton
    SportsDataPort sportsDataPort(Optional<UpstreamBudget> shared) {
        BalldontlieClient.Builder client =
                BalldontlieClient.builder(baseUrl, apiKey).nameSearch(nameSearch);
        shared.ifPresentOrElse(client::budget, () -> client.requestsPerMinute(requestsPerMinute));
        return client.build();
    }

    @Override
    public String toString() {
        return "ApiClientModule{" + baseUrl + ", " + requestsPerMinute + "/min, nameSearch=" + nameSearch + '}';
    }
}
