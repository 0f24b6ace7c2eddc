package dev.throttle.sim.cli;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.model.Dialect;
import dev.throttle.sim.model.Durations;
import dev.throttle.sim.model.ServerKind;
import dev.throttle.sim.model.Latency;
import dev.throttle.sim.model.Rates;
import dev.throttle.sim.report.Columns;
import dev.throttle.sim.scenario.Scenario;
import dev.throttle.sim.strategy.StrategyRegistry;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the simulator's option types; bad input becomes a usage error (exit code 2). */
final class Converters {

  private Converters() {}

  /** {@code 30m}, {@code 90s}, {@code 2h}. */
  static final class DurationNanos implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long nanos = Durations.parseNanos(value);
        if (nanos <= 0) {
          throw new TypeConversionException("duration must be positive, was '" + value + "'");
        }
        return nanos;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 20ms}, {@code uniform:10ms-50ms}, {@code exp:20ms}. */
  static final class LatencyConverter implements ITypeConverter<Latency> {
    @Override
    public Latency convert(String value) {
      try {
        return Latency.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 4500/h}, {@code 10/s}. */
  static final class RateConverter implements ITypeConverter<Rate> {
    @Override
    public Rate convert(String value) {
      try {
        return Rates.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code default}, {@code all} or a comma-separated list of column names. */
  static final class ColumnsConverter implements ITypeConverter<Columns> {
    @Override
    public Columns convert(String value) {
      try {
        return Columns.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A scenario name. */
  static final class ScenarioConverter implements ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      try {
        return Scenario.byId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A strategy name. */
  static final class StrategyConverter implements ITypeConverter<StrategyRegistry> {
    @Override
    public StrategyRegistry convert(String value) {
      try {
        return StrategyRegistry.byId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A header dialect name. */
  static final class DialectConverter implements ITypeConverter<Dialect> {
    @Override
    public Dialect convert(String value) {
      try {
        return Dialect.byId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A server model name. */
  static final class ServerKindConverter implements ITypeConverter<ServerKind> {
    @Override
    public ServerKind convert(String value) {
      try {
        return ServerKind.byId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
