/**
 * Output: an aligned table (fitted to 120 characters unless columns are chosen), CSV, JSON, and a
 * self-contained HTML report with hand-written SVG charts (strategy comparison with confidence whiskers,
 * per-client heat maps). See docs/report.md.
 */
package dev.throttle.sim.report;
