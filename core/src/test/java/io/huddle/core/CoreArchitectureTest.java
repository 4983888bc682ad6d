package io.huddle.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The quick check of core's boundaries and layers, run with core's own tests; the module rules over
 * every module are in the examples module. ArchUnit fails a rule whose classes are empty, so a
 * misspelt package fails.
 */
@AnalyzeClasses(packages = "io.huddle.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
    private static final String[] LIBRARIES = {"java..", "org.slf4j.."};

    @ArchTest
    static final ArchRule core_uses_only_the_JDK_SLF4J_and_Jackson = classes()
            .that()
            .resideInAPackage("io.huddle.core..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("io.huddle.core..", "java..", "org.slf4j..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule the_API_stands_on_nothing_but_its_helpers = classes()
            .that()
            .resideInAPackage("io.huddle.core.api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(with("io.huddle.core.api..", "io.huddle.core.internal.."));

    @ArchTest
    static final ArchRule the_SPI_stands_on_the_API_only = classes()
            .that()
            .resideInAPackage("io.huddle.core.spi..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(with("io.huddle.core.spi..", "io.huddle.core.api..", "io.huddle.core.internal.."));

    @ArchTest
    static final ArchRule implementations_of_the_SPI_never_reach_into_the_engine = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.huddle.core.memory..",
                    "io.huddle.core.tiered..",
                    "io.huddle.core.codec..",
                    "io.huddle.core.snapshot..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.huddle.core");

    @ArchTest
    static final ArchRule the_engine_shows_one_public_type_its_facade = classes()
            .that()
            .resideInAPackage("io.huddle.core")
            .and()
            .arePublic()
            .should()
            .haveFullyQualifiedName(SharedCache.class.getName())
            .orShould()
            .haveFullyQualifiedName(SharedCache.Builder.class.getName());

    @ArchTest
    static final ArchRule no_package_of_core_depends_on_itself_through_others =
            slices().matching("io.huddle.(**)").should().beFreeOfCycles();

    private static String[] with(String... packages) {
        String[] all = new String[packages.length + LIBRARIES.length];
        System.arraycopy(packages, 0, all, 0, packages.length);
        System.arraycopy(LIBRARIES, 0, all, packages.length, LIBRARIES.length);
        return all;
    }
}
