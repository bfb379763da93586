package com.redhat.cloudoreg.warmup;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;

/**
 * Starts the {@link WarmUp} as soon as the beans can be had and the start is known to go ahead:
 * when CDI has validated the deployment, right after {@link com.redhat.cloudoreg.kafka.FirstStart}
 * (whose failure stops the start: no warm-up then) and before the reactive messaging streams. The
 * rest of the application's start (the Kafka clients, the OpenAPI document, the web module) then
 * runs beside it, one core each; CDI's {@code Startup} event comes only once the server is ready,
 * and a warm-up started there added its whole second to every start.
 */
public class WarmUpAtDeployment implements Extension {
  void start(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) AfterDeploymentValidation done,
      BeanManager beans) {
    beans.createInstance().select(WarmUp.class).get().start();
  }
}
