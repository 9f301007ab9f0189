/** Test support for controllers: a recording in-process API server and object builders. */
package io.minik8s.controllermanager.testing;
