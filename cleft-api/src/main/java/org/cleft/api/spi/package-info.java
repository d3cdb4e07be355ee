/**
 * The backend service-provider interface: {@link org.cleft.api.spi.BackendProvider} implementations are
 * found through {@link java.util.ServiceLoader} and chosen by {@link org.cleft.api.spi.BackendResolver}.
 */
package org.cleft.api.spi;
