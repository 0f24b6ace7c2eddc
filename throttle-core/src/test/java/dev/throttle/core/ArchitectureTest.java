package dev.throttle.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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

  @Test
  void noPublicClassExtendsANonPublicOne() {
    classes().that(ARE_VISIBLE_OUTSIDE_THE_PACKAGE)
        .should(haveOnlyPublicSuperclasses())
        .because("a public type's whole API, inherited members included, must be public and documented")
        .check(CORE);
  }

  /** Public, and nested (if at all) only in public classes: the types a user can name. */
  static final DescribedPredicate<JavaClass> ARE_VISIBLE_OUTSIDE_THE_PACKAGE =
      DescribedPredicate.describe("are visible outside their package", ArchitectureTest::visibleOutside);

  static boolean visibleOutside(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  static ArchCondition<JavaClass> haveOnlyPublicSuperclasses() {
    return new ArchCondition<>("have only public superclasses") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaClass sup : c.getAllRawSuperclasses()) {
          if (!sup.getName().startsWith("java.") && !visibleOutside(sup)) {
            events.add(SimpleConditionEvent.violated(c,
                c.getName() + " extends non-public " + sup.getName()));
          }
        }
      }
    };
  }
}
