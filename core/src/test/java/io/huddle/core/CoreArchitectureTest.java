package io.huddle.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The quick check of core's boundaries, run with core's own tests; the full set of module rules is in
 * the examples module. ArchUnit fails a rule whose classes are empty, so a misspelt package fails.
 */
@AnalyzeClasses(packages = "io.huddle.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
    @ArchTest
    static final ArchRule core_uses_only_the_JDK_SLF4J_Jackson_and_Guice = classes()
            .that()
            .resideInAPackage("io.huddle.core..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "io.huddle.core..", "java..", "org.slf4j..", "com.fasterxml.jackson..", "com.google.inject..");

    @ArchTest
    static final ArchRule the_generic_engine_knows_nothing_of_sports = noClasses()
            .that()
            .resideInAPackage("io.huddle.core.cache..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.huddle.core.sports..");

    @ArchTest
    static final ArchRule Guice_appears_only_in_Module_classes = noClasses()
            .that()
            .haveSimpleNameNotEndingWith("Module")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.google.inject..");
}
