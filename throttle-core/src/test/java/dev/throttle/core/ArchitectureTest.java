package dev.throttle.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package layering of throttle-core, checked on the compiled classes so it cannot rot: time ← limiter ←
 * headers ← strategy ← policy ← runner. A package may use any package to its left, never one to its right.
 */
class ArchitectureTest {

  /** Bottom to top. */
  static final List<String> LAYERS = List.of("time", "limiter", "headers", "strategy", "policy", "runner");

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.throttle.core");

  @Test
  void lowerPackagesNeverUseHigherOnes() {
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] higher = LAYERS.subList(i + 1, LAYERS.size()).stream()
          .map(p -> "dev.throttle.core." + p + "..")
          .toArray(String[]::new);
      noClasses().that().resideInAPackage("dev.throttle.core." + LAYERS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(higher)
          .because("throttle-core is layered " + String.join(" <- ", LAYERS))
          .check(CORE);
    }
  }

  @Test
  void everyClassLivesInALayer() {
    noClasses().should().resideOutsideOfPackages(
            LAYERS.stream().map(p -> "dev.throttle.core." + p + "..").toArray(String[]::new))
        .because("a class outside the layers would escape the layering check")
        .check(CORE);
  }
}
