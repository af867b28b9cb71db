import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/**
 * A reader collected by hand: what an exporter would be sent, when the test asks. Gauges are
 * delta, so a series nobody observes any more is absent (cumulative readers repeat its last value).
 */
export class CollectingReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: type =>
        type === InstrumentType.OBSERVABLE_GAUGE
          ? AggregationTemporality.DELTA
          : AggregationTemporality.CUMULATIVE,
    });
  }

  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface Collected {
  /** JSON of everything collected, for the canary scan. */
  readonly json: string;
  metric(name: string): MetricData | undefined;
  /** The data points of one instrument (none when it reported nothing). */
  points(name: string): DataPoint<unknown>[];
  names(): string[];
}

export async function collect(reader: MetricReader): Promise<Collected> {
  const { resourceMetrics } = await reader.collect();
  const metrics = flatten(resourceMetrics);
  const byName = new Map(metrics.map(m => [m.descriptor.name, m]));
  return {
    json: JSON.stringify(resourceMetrics),
    metric: name => byName.get(name),
    points: name => byName.get(name)?.dataPoints ?? [],
    names: () => [...byName.keys()].sort(),
  };
}

const flatten = (resource: ResourceMetrics): MetricData[] =>
  resource.scopeMetrics.flatMap(scope => scope.metrics);

/** A provider and its hand-collected reader. */
export function meterProvider(): { provider: MeterProvider; reader: CollectingReader } {
  const reader = new CollectingReader();
  return { provider: new MeterProvider({ readers: [reader] }), reader };
}
