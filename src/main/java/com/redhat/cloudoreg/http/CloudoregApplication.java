package com.redhat.cloudoreg.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** cloudoreg's few HTTP endpoints (internal operations); probes and metrics are Liberty's own. */
@ApplicationPath("/")
public class CloudoregApplication extends Application {}
