package io.huddle.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.SportsDataPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The module rules of docs/ARCHITECTURE.md, over the classes of every module. Maven enforces the
 * same boundaries on the dependency graph; these rules catch what slips past it (a type used through
 * a transitive dependency, a cycle inside a module, a backend type in a port's signature).
 */
@AnalyzeClasses(
        packages = "io.huddle",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {
    /**
     * Leaves out the test-jars on this module's test class path (the Redis adapter's, for the
     * server's Redis test): tests, like {@link ImportOption.DoNotIncludeTests}'s test-classes.
     */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String CORE = "io.huddle.core..";
    private static final String SPORTS = "io.huddle.sports..";
    private static final String GUICE_MODULES = "io.huddle.guice..";
    /** The Bucket4j permits the client's and the Redis budget share: a base both stand on, not a peer. */
    private static final String BUCKET4J_PERMITS = "io.huddle.bucket4j..";

    /** Each adapter's package and the only packages it may use besides the JDK and SLF4J. */
    private record Adapter(String name, String pkg, String... allowed) {}

    private static final List<Adapter> ADAPTERS = List.of(
            new Adapter("caffeine", "io.huddle.caffeine..", CORE, "com.github.benmanes.caffeine.."),
            new Adapter("ehcache", "io.huddle.ehcache..", CORE, "org.ehcache.."),
            new Adapter("bucket4j", BUCKET4J_PERMITS, CORE, "io.github.bucket4j.."),
            new Adapter(
                    "redis",
                    "io.huddle.redis..",
                    CORE,
                    BUCKET4J_PERMITS,
                    "redis.clients..",
                    "org.apache.commons.pool2..",
                    "io.github.bucket4j.."),
            new Adapter(
                    "api-client",
                    "io.huddle.client..",
                    CORE,
                    SPORTS,
                    BUCKET4J_PERMITS,
                    "io.github.resilience4j..",
                    "io.github.bucket4j..",
                    "com.fasterxml.jackson..",
                    "io.micrometer.."),
            new Adapter("upstream-sim", "io.huddle.sim..", "com.sun.net.httpserver..", "com.fasterxml.jackson.."),
            new Adapter("micrometer", "io.huddle.micrometer..", CORE, "io.micrometer.."));

    /** The libraries whose types must stay inside their adapter. */
    private static final String[] BACKEND_LIBRARIES = {
        "com.github.benmanes.caffeine..",
        "org.ehcache..",
        "redis.clients..",
        "io.github.resilience4j..",
        "io.github.bucket4j.."
    };

    private static final String GUICE = "com.google.inject..";

    private static final String EXAMPLES = "io.huddle.examples..";

    @ArchTest
    static final ArchRule core_knows_no_sports_no_Guice_no_adapter_and_no_backend_library = classes()
            .that()
            .resideInAPackage(CORE)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(CORE, "java..", "org.slf4j..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule sports_stands_on_core_only = classes()
            .that()
            .resideInAPackage(SPORTS)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(SPORTS, CORE, "java..", "org.slf4j..");

    @ArchTest
    static final ArchRule each_adapter_uses_only_core_its_own_library_the_JDK_and_SLF4J = CompositeArchRule.of(
                    ADAPTERS.stream().map(ArchitectureTest::onlyItsOwnLibraries).toList())
            .as("each adapter uses only core, its own library, the JDK and SLF4J");

    @ArchTest
    static final ArchRule adapters_never_depend_on_each_other =
            slices().assignedFrom(new AdapterSlices()).should().notDependOnEachOther();

    @ArchTest
    static final ArchRule backend_libraries_are_used_only_inside_their_adapters = noClasses()
            .that()
            .resideOutsideOfPackages(ADAPTERS.stream().map(Adapter::pkg).toArray(String[]::new))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(BACKEND_LIBRARIES);

    @ArchTest
    static final ArchRule no_backend_type_crosses_a_port_in_a_signature_or_a_throws_clause = codeUnits()
            .that()
            .arePublic()
            .and()
            .areDeclaredInClassesThat(implementAPort())
            .should(notMentionABackendType());

    @ArchTest
    static final ArchRule Guice_appears_only_in_the_guice_module_and_the_applications_that_start_it = noClasses()
            .that()
            .resideOutsideOfPackages(GUICE_MODULES, EXAMPLES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(GUICE);

    @ArchTest
    static final ArchRule the_applications_only_start_an_injector_and_ask_it_for_their_services = noClasses()
            .that()
            .resideInAPackage(EXAMPLES)
            .should()
            .dependOnClassesThat(DescribedPredicate.describe(
                    "are Guice types other than Guice, Injector, Module and Stage",
                    type -> type.getPackageName().startsWith("com.google.inject")
                            && !List.of("Guice", "Injector", "Module", "Stage").contains(type.getSimpleName())));

    @ArchTest
    static final ArchRule no_package_depends_on_itself_through_others =
            slices().matching("io.huddle.(**)").should().beFreeOfCycles();

    @ArchTest
    static void every_package_a_rule_names_holds_classes(JavaClasses imported) {
        Set<String> named = new LinkedHashSet<>(List.of(
                CORE,
                "io.huddle.core.api..",
                "io.huddle.core.spi..",
                "io.huddle.core.memory..",
                "io.huddle.core.tiered..",
                "io.huddle.core.codec..",
                "io.huddle.core.snapshot..",
                SPORTS,
                GUICE_MODULES,
                EXAMPLES));
        ADAPTERS.forEach(adapter -> named.add(adapter.pkg()));

        List<String> empty = new ArrayList<>();
        for (String pkg : named) {
            String prefix = pkg.substring(0, pkg.length() - 2);
            if (imported.stream()
                    .noneMatch(c -> c.getPackageName().equals(prefix)
                            || c.getPackageName().startsWith(prefix + "."))) {
                empty.add(pkg);
            }
        }
        assertThat(empty).as("packages named by the rules but holding no class").isEmpty();

        List<String> unused = new ArrayList<>();
        for (String library : BACKEND_LIBRARIES) {
            String prefix = library.substring(0, library.length() - 2);
            boolean used = imported.stream()
                    .flatMap(type -> type.getDirectDependenciesFromSelf().stream())
                    .anyMatch(dependency ->
                            dependency.getTargetClass().getPackageName().startsWith(prefix));
            if (!used) {
                unused.add(library);
            }
        }
        assertThat(unused)
                .as("backend library packages named by the rules that no class uses (misspelt?)")
                .isEmpty();
    }

    private static ArchRule onlyItsOwnLibraries(Adapter adapter) {
        List<String> allowed = new ArrayList<>(List.of(adapter.pkg(), "java..", "org.slf4j.."));
        allowed.addAll(List.of(adapter.allowed()));
        return classes()
                .that()
                .resideInAPackage(adapter.pkg())
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(allowed.toArray(String[]::new))
                .as(adapter.name() + " uses only " + allowed);
    }

    private static DescribedPredicate<JavaClass> implementAPort() {
        List<Class<?>> ports = List.of(
                CachePort.class,
                SportsDataPort.class,
                LoadCoordinator.class,
                InvalidationBus.class,
                UpstreamBudget.class);
        return DescribedPredicate.describe(
                "implement a port", type -> ports.stream().anyMatch(type::isAssignableTo) && !type.isInterface());
    }

    private static ArchCondition<JavaCodeUnit> notMentionABackendType() {
        return new ArchCondition<>("not take, return or throw a type of a backend library") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                Stream.concat(
                                Stream.concat(unit.getRawParameterTypes().stream(), Stream.of(unit.getRawReturnType())),
                                unit.getThrowsClause().getTypes().stream())
                        .filter(ArchitectureTest::isBackendType)
                        .forEach(type -> events.add(SimpleConditionEvent.violated(
                                unit, unit.getFullName() + " exposes " + type.getName())));
            }
        };
    }

    private static boolean isBackendType(JavaClass type) {
        return Stream.of(BACKEND_LIBRARIES)
                .map(pkg -> pkg.substring(0, pkg.length() - 2))
                .anyMatch(pkg -> type.getPackageName().startsWith(pkg));
    }

    /** One slice per adapter; everything else, and the shared Bucket4j permits, is left out. */
    private static final class AdapterSlices implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
            return ADAPTERS.stream()
                    .filter(adapter -> !adapter.pkg().equals(BUCKET4J_PERMITS))
                    .filter(adapter -> type.getPackageName()
                            .startsWith(adapter.pkg().substring(0, adapter.pkg().length() - 2)))
                    .findFirst()
                    .map(adapter -> SliceIdentifier.of(adapter.name()))
                    .orElse(SliceIdentifier.ignore());
        }

        @Override
        public String getDescription() {
            return "adapters";
        }
    }
}
