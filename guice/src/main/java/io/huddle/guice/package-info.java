/**
 * Guice modules: the sports services, and one module per backend and for the API client. The only
 * place Huddle uses Guice.
 */
package io.huddle.guice;
