package io.minik8s.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WithEtcd}: one {@link EtcdProcess} per test class, started on
 * first use (a parameter of the constructor, a {@code @BeforeAll}, or any test), closed after the
 * class's last test.
 *
 * <p>The process lives in the class-level {@link ExtensionContext.Store}, so nested and per-method
 * contexts of the class see the same one.
 */
public final class EtcdExtension implements ParameterResolver, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EtcdExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EtcdProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return etcdFor(extensionContext);
  }

  /** The etcd of the test class around {@code context}, started when it does not exist yet. */
  public static EtcdProcess etcdFor(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    String[] args = classContext.getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, WithEtcd.class))
        .map(WithEtcd::args)
        .orElse(new String[0]);
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(EtcdProcess.class, k -> EtcdProcess.started(args), EtcdProcess.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // The store closes AutoCloseable values itself; closing here as well makes the order explicit
    // (before other extensions' afterAll) and does not depend on that store setting.
    Optional.ofNullable(context.getStore(NAMESPACE).remove(EtcdProcess.class, EtcdProcess.class))
        .ifPresent(EtcdProcess::close);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getParent().isPresent() && c.getTestMethod().isPresent()) {
      c = c.getParent().get();
    }
    // Nested classes share their outermost class's etcd.
    while (c.getParent().isPresent() && c.getParent().get().getTestClass().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }
}
