package com.redhat.cloudoreg.sources;

import java.util.List;

/** A page of a Sources collection; cloudoreg's lists are small enough for the first page. */
public record Page<T>(List<T> data) {
  public List<T> items() {
    return data == null ? List.of() : data;
  }
}
