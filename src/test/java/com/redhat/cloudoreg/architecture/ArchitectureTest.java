package com.redhat.cloudoreg.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The house's shape, kept by the build: packages by what they talk to, no cycles between them, the
 * doors above the flow and the peers below it, and the domain free of Kafka and JAX-RS.
 */
@AnalyzeClasses(
    packages = "com.redhat.cloudoreg",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("com.redhat.cloudoreg.(*)..").should().beFreeOfCycles();

  /** The use cases and the outcomes know nothing of how events arrive or statuses leave. */
  @ArchTest
  static final ArchRule domainImportsNoKafkaNorJaxRs =
      noClasses()
          .that()
          .resideInAnyPackage("..cloudoreg.flow..", "..cloudoreg.outcome..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka..", "jakarta.ws.rs..");

  /** The flow is called by the doors; it calls no door and no reporter. */
  @ArchTest
  static final ArchRule flowCallsNoDoorNorReporter =
      noClasses()
          .that()
          .resideInAPackage("..cloudoreg.flow..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..cloudoreg.events..",
              "..cloudoreg.http..",
              "..cloudoreg.report..",
              "..cloudoreg.status..",
              "..cloudoreg.deadletters..");

  /** Peers are rooms with one door: a peer's package calls no other peer, no flow, no door. */
  @ArchTest
  static final ArchRule peersStandBelowTheFlow =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..cloudoreg.sources..",
              "..cloudoreg.aws..",
              "..cloudoreg.rhsm..",
              "..cloudoreg.azure..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..cloudoreg.flow..",
              "..cloudoreg.events..",
              "..cloudoreg.http..",
              "..cloudoreg.report..",
              "..cloudoreg.status..");
}
