package io.minik8s.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class one real etcd, started before its first test and closed (killed,
 * data deleted) after its last. Declare an {@link EtcdProcess} parameter on a constructor,
 * {@code @BeforeAll}, {@code @BeforeEach} or test method to get it.
 *
 * <p>Tests of one class share the etcd: use distinct key prefixes per test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EtcdExtension.class)
public @interface WithEtcd {
  /** Extra etcd flags, e.g. {@code "--experimental-watch-progress-notify-interval=1s"}. */
  String[] args() default {};
}
