/** Output: aligned table, CSV, JSON, and a self-contained HTML report with hand-written SVG charts. */
package dev.throttle.sim.report;
