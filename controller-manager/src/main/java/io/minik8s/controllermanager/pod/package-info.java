/** Reading pods as controllers need to: active, ready, available for minReadySeconds. */
package io.minik8s.controllermanager.pod;
