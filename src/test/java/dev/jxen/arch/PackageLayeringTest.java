package dev.jxen.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of ARCHITECTURE.md, checked on the compiled classes: the packages form a one-way graph,
 * the framework knows no domain package, and no domain package knows the command line.
 */
class PackageLayeringTest {
    private static final String[] DOMAIN = {"dev.jxen.storage..", "dev.jxen.install..", "dev.jxen.installer..", "dev.jxen.customize..", "dev.jxen.render..", "dev.jxen.contact..",
        "dev.jxen.xen..", "dev.jxen.mirror..", "dev.jxen.guest.."};
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.jxen");

    @Test
    void thePackagesDependOnEachOtherWithoutACycle() {
        slices().matching("dev.jxen.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("command line").definedBy("dev.jxen.cli..")
                .layer("lifecycles").definedBy("dev.jxen.lifecycle..")
                .layer("domain").definedBy(DOMAIN)
                .layer("configuration").definedBy("dev.jxen.config..")
                .layer("framework").definedBy("dev.jxen.pipeline..")
                .layer("system").definedBy("dev.jxen.system..", "dev.jxen.error..")
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("lifecycles").mayOnlyBeAccessedByLayers("command line")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("command line", "lifecycles", "domain")
                .whereLayer("configuration").mayOnlyBeAccessedByLayers("command line", "lifecycles", "domain")
                .whereLayer("framework").mayOnlyBeAccessedByLayers("command line", "lifecycles", "domain")
                .check(CLASSES);
    }

    @Test
    void theFrameworkKnowsNoDomainPackage() {
        noClasses().that().resideInAnyPackage("dev.jxen.pipeline..", "dev.jxen.system..", "dev.jxen.error..")
                .should().dependOnClassesThat().resideInAnyPackage(DOMAIN).check(CLASSES);
    }

    @Test
    void onlyTheSystemPackageStartsProcesses() {
        noClasses().that().resideOutsideOfPackage("dev.jxen.system..")
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class).check(CLASSES);
    }
}
