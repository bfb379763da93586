package com.redhat.cloudoreg.sources;

import java.util.Arrays;

/** The clouds RHEL management is offered for, by Sources' source type name; any other is OTHER. */
public enum Cloud {
  AMAZON("amazon"),
  AZURE("azure"),
  GOOGLE("google"),
  OTHER("");

  private final String sourceTypeName;

  Cloud(String sourceTypeName) {
    this.sourceTypeName = sourceTypeName;
  }

  public static Cloud ofSourceType(String name) {
    return Arrays.stream(values())
        .filter(cloud -> cloud != OTHER && cloud.sourceTypeName.equals(name))
        .findFirst()
        .orElse(OTHER);
  }
}
