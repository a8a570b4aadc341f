package io.geocont.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of README "How it is built", enforced on the compiled main classes: the
 * linear-algebra core at the bottom imports nothing of ours; backends, readers and analysis
 * sit on it side by side and do not see each other; models, training, experiments,
 * presentation and the CLI stack above; no package cycles; FFM only where native memory is
 * touched (the CUDA backend, its generated bindings, the mmap'd checkpoint readers).
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.geocont");
    }

    @Test void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("io.geocont.linalg..", "io.geocont.util..")
                .layer("bindings").definedBy("io.geocont.bindings..")
                .layer("backend").definedBy("io.geocont.backend..")
                .layer("io").definedBy("io.geocont.io..")
                .layer("analysis").definedBy("io.geocont.analysis..")
                .layer("monitor").definedBy("io.geocont.monitor..")
                .layer("data").definedBy("io.geocont.data..")
                .layer("models").definedBy("io.geocont.models..")
                .layer("train").definedBy("io.geocont.train..")
                .layer("experiments").definedBy("io.geocont.experiments..")
                .layer("presentation").definedBy("io.geocont.plot..", "io.geocont.report..")
                .layer("cluster").definedBy("io.geocont.cluster..")
                .layer("cli").definedBy("io.geocont.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("experiments").mayOnlyBeAccessedByLayers("cluster", "cli")
                .whereLayer("presentation").mayOnlyBeAccessedByLayers("experiments", "cli")
                .whereLayer("train").mayOnlyBeAccessedByLayers("experiments", "cluster", "cli")
                .whereLayer("models").mayOnlyBeAccessedByLayers("train", "experiments", "cli")
                .whereLayer("monitor").mayOnlyBeAccessedByLayers("train", "experiments", "cli")
                .whereLayer("analysis").mayOnlyBeAccessedByLayers("monitor", "train", "experiments", "presentation", "cli")
                .whereLayer("io").mayOnlyBeAccessedByLayers("monitor", "train", "experiments", "presentation", "cluster", "cli")
                .whereLayer("data").mayOnlyBeAccessedByLayers("models", "train", "experiments", "cli")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("models", "train", "experiments", "cli")
                .whereLayer("bindings").mayOnlyBeAccessedByLayers("backend")
                .check(classes);
    }

    @Test void theCoreImportsNothingOfOurs() {
        noClasses().that().resideInAPackage("io.geocont.linalg..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.geocont.linalg..", "java..", "jdk.incubator.vector..")
                .check(classes);
        noClasses().that().resideInAPackage("io.geocont.linalg")
                .should().dependOnClassesThat().resideInAPackage("io.geocont.linalg.svd..")
                .because("the value types sit below the algorithms (no cycle inside the core)")
                .check(classes);
    }

    @Test void noPackageCycles() {
        slices().matching("io.geocont.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test void foreignMemoryOnlyInTheCudaBackendBindingsAndReaders() {
        noClasses().that().resideOutsideOfPackages("io.geocont.backend.cuda..", "io.geocont.bindings..", "io.geocont.io..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(classes);
    }

    @Test void cliAndChartLibrariesStayAtTheTop() {
        noClasses().that().resideOutsideOfPackage("io.geocont.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.geocont.plot..", "io.geocont.report..", "io.geocont.experiments..")
                .should().dependOnClassesThat().resideInAPackage("org.knowm.xchart..")
                .check(classes);
    }
}
