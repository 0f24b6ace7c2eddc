/**
 * The field test: real OkHttp clients, through each Throttle strategy and through the peers users would pick
 * instead (Failsafe, Resilience4j), against real rate limiters (nginx {@code limit_req}, express-rate-limit)
 * started on 127.0.0.1 at free ports. Run it with {@code bash field-test/run}; results are in
 * {@code docs/field-test.md}. Not a published library.
 */
package dev.throttle.field;
