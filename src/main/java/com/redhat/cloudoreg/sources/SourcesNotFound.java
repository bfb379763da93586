package com.redhat.cloudoreg.sources;

/** Sources has no such resource in that tenant (deleted meanwhile, or never the tenant's). */
class SourcesNotFound extends RuntimeException {
  SourcesNotFound() {
    super("not found in Sources", null, false, false);
  }
}
