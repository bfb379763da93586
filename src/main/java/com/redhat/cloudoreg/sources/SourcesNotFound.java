package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.outcome.PeerAnswer;

/** Sources has no such resource in that tenant (deleted meanwhile, or never the tenant's). */
class SourcesNotFound extends PeerAnswer {
  SourcesNotFound() {
    super("not found in Sources");
  }
}
