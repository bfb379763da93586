package com.redhat.cloudoreg.reconcile;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The ids of Sources' list of every source, held as sorted numbers: 8 bytes each, where a set of
 * strings took ~90 (a String, its bytes, a map node and its slot). The list names every source of
 * every tenant and type, read whole by the pod that also handles events in a 160 MiB heap: a
 * million sources are 8 MB here. Sources' ids are numbers; one that is not matches nothing, as it
 * could match no trust of ours either.
 */
final class ListedSourceIds implements Predicate<String> {
  private long[] ids = new long[1024];
  private int size;
  private boolean sorted = true;

  void add(String id) {
    long value;
    try {
      value = Long.parseLong(id);
    } catch (NumberFormatException notSources) {
      return;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    sorted &= size == 0 || ids[size - 1] <= value;
    ids[size++] = value;
  }

  /** How many were listed (a source listed twice, on pages that shifted, counts twice). */
  int size() {
    return size;
  }

  /** Whether Sources listed that source. */
  @Override
  public boolean test(String sourceId) {
    long value;
    try {
      value = Long.parseLong(sourceId);
    } catch (NumberFormatException notListed) {
      return false;
    }
    if (!sorted) {
      Arrays.sort(ids, 0, size);
      sorted = true;
    }
    return Arrays.binarySearch(ids, 0, size, value) >= 0;
  }
}
