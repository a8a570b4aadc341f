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
 * touched (the CUDA backend, its generated bindings, the mmap'd checkpoint readers); picocli only
 * in the CLI and XChart only in presentation (both optional in pom.xml); console output only from the CLI.
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
                .whereLayer("experiments").mayOnlyBeAccessedByLayers("presentation", "cluster", "cli")
                .whereLayer("presentation").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("train").mayOnlyBeAccessedByLayers("experiments", "presentation", "cluster", "cli")
                .whereLayer("models").mayOnlyBeAccessedByLayers("train", "experiments", "presentation", "cli")
                .whereLayer("monitor").mayOnlyBeAccessedByLayers("train", "experiments", "presentation", "cli")
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
        // the row kernels of the linear-algebra core read a segment of memory (a tensor mapped by
        // a reader) and nothing else: no linker, arena, symbol or layout of a call
        noClasses().that().resideOutsideOfPackages("io.geocont.backend.cuda..", "io.geocont.bindings..", "io.geocont.io..")
                .and().resideOutsideOfPackage("io.geocont.linalg")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(classes);
        noClasses().that().resideInAPackage("io.geocont.linalg..")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("java.lang.foreign..")
                        .and(com.tngtech.archunit.base.DescribedPredicate.not(
                                com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("java\\.lang\\.foreign\\.(MemorySegment|ValueLayout.*)"))))
                .because("the core reads memory through segments but makes no foreign calls")
                .check(classes);
    }

    /**
     * Float arrays go to the array kernels, never through a segment wrapped around them: the
     * JIT profiles segment vector loads once for every caller, and heap segments beside the
     * mapped tensors made both kinds 2.5-12x slower (see F32RowKernels).
     */
    @Test void floatArraysAreNotWrappedAsSegments() {
        noClasses().that().resideOutsideOfPackages("io.geocont.backend.cuda..", "io.geocont.bindings..")
                .should().callMethod(java.lang.foreign.MemorySegment.class, "ofArray", float[].class)
                .because("a heap segment beside mapped ones slows every segment kernel (F32RowKernels' class comment)")
                .check(classes);
    }

    @Test void cliAndChartLibrariesStayAtTheTop() {
        noClasses().that().resideOutsideOfPackage("io.geocont.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("picocli is optional in pom.xml: a library user does not get it")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.geocont.plot..", "io.geocont.report..")
                .should().dependOnClassesThat().resideInAPackage("org.knowm.xchart..")
                .because("XChart is optional in pom.xml: experiments produce numbers, presentation draws them")
                .check(classes);
    }

    /**
     * Progress and warnings reach a library user through listeners and sinks (ProgressListener,
     * StackAnalyzer.Progress, Plots.warnTo), never as prints: only the CLI touches the console.
     * Listed exceptions, each with its reason: the jextract-generated bindings' downcall tracing
     * (prints only under -Djextract.trace.downcalls=true; regenerated code, not edited by hand).
     */
    @Test void onlyTheCliPrints() {
        noClasses().that().resideOutsideOfPackages("io.geocont.cli..", "io.geocont.bindings..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("library code reports through listeners; printing is the CLI's job")
                .check(classes);
    }
}
