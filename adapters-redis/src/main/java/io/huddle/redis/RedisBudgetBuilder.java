package io.huddle.redis;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds an upstream budget of a {@link RedisHuddle}, shared by every server on its Redis and key
 * prefix that asks for the same name.
 *
 * <p>The budget is one Redis key, {@code <prefix>:~budget:<name>}, holding Bucket4j's state of the
 * plan's bucket ({@link BudgetPlan#bucket()}), with a TTL of the time it takes to fill up again plus
 * one period, so an idle budget leaves nothing behind. The servers' clocks must agree (NTP):
 * whichever server takes a token computes the refill by its own clock. Users wait for a token at
 * most as long as they may; background work never waits and never takes the plan's reserve.
 *
 * <p>When Redis cannot be reached, each server takes its permits from its share of the plan ({@link
 * BudgetPlan#share}) in its own memory instead, starting empty, so that the fleet stays within the
 * plan across the switch; these are counted as {@linkplain
 * io.huddle.core.spi.BudgetStatistics#fallbackPermits() fallback permits}. Redis is tried again a
 * second after a failure, by one caller at a time; when it answers, the server charges the shared
 * bucket with what it took from its share within the last period and uses it again. The switch is
 * logged once, never a stack trace per request.
 *
 * <p>Each budget closes with its {@link RedisHuddle}; closing it stops its heartbeat. Not
 * thread-safe.
 */
public final class RedisBudgetBuilder {
    private final RedisHuddle owner;
    private final String name;
    private final BudgetPlan plan;
    private int servers;
    private Duration heartbeat = Duration.ofSeconds(5);
    private TimeMeter time = TimeMeter.SYSTEM_MILLISECONDS;
    private BlockingStrategy waiting = BlockingStrategy.PARKING;

    RedisBudgetBuilder(RedisHuddle owner, String name, BudgetPlan plan) {
        this.owner = owner;
        this.name = name;
        this.plan = plan;
    }

    /**
     * How many servers share the plan: while Redis is unreachable each takes {@code
     * plan.share(servers)}. Give the most that may run at once; fewer running then leave part of the
     * plan unused during an outage, more would exceed it. Default: learned from Redis, where every
     * budget of this name registers itself each {@link #heartbeat} and is forgotten after three missed
     * ones; the count last seen is kept through an outage, and a budget that has never reached Redis
     * counts itself alone (taking the whole plan), which is why a configured count is safer.
     */
    public RedisBudgetBuilder servers(int servers) {
        this.servers = Arguments.positive("servers", servers);
        return this;
    }

    /**
     * How often a budget that learns the number of servers registers itself in Redis; a server not
     * seen for three of them is no longer counted. Default 5 s.
     */
    public RedisBudgetBuilder heartbeat(Duration heartbeat) {
        this.heartbeat = RedisHuddleBuilder.millisField("heartbeat", heartbeat);
        return this;
    }

    /**
     * The clock of the buckets (wall-clock based, as Bucket4j requires of a bucket in Redis) and how a
     * waiting user waits: for tests, a manual clock that a wait moves forward.
     */
    RedisBudgetBuilder time(TimeMeter time, BlockingStrategy waiting) {
        this.time = Objects.requireNonNull(time, "time");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        return this;
    }

    /**
     * The budget, closed with its {@link RedisHuddle}. Nothing connects here: a Redis that is down
     * makes a budget that starts on this server's share.
     *
     * @throws CacheBackendException if the entry point is closed
     */
    public UpstreamBudget build() {
        return buildRedisBudget();
    }

    RedisUpstreamBudget buildRedisBudget() {
        owner.ensureOpen();
        return owner.closedWithThis(
                new RedisUpstreamBudget(owner.connection(), name, plan, servers, heartbeat, time, waiting));
    }
}
