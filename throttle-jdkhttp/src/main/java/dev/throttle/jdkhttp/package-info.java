/**
 * Throttling for the JDK's {@link java.net.http.HttpClient}: {@link dev.throttle.jdkhttp.ThrottlingHttpClient}
 * wraps a client, waiting on the calling thread in {@code send} and scheduling (never blocking) in
 * {@code sendAsync}.
 */
package dev.throttle.jdkhttp;
